// Owns resetStates: Keras's `model.reset_states()` over every stateful layer of a model, nested models
// and Bidirectional wrappers included.
import * as tf from '@tensorflow/tfjs';

/** Something with layers inside: a `tf.LayersModel` / `tf.Sequential` (nested models are layers too). */
type LayerContainer = tf.layers.Layer & { readonly layers: tf.layers.Layer[] };

function isContainer(x: tf.layers.Layer): x is LayerContainer {
  return Array.isArray((x as Partial<LayerContainer>).layers);
}

/**
 * Resets the states of every stateful layer in `target` (a model, a nested model, or one layer) to
 * zeros, as Keras's `model.reset_states()`: recurrent layers, Bidirectional wrappers (both
 * directions) and layers of nested models. Layers that are not built yet have no states and are
 * skipped. Returns the number of layers reset. Call it between independent sequences of a stateful
 * model (for example at the start of each epoch).
 */
export function resetStates(target: tf.LayersModel | tf.layers.Layer): number {
  const layer = target as unknown as tf.layers.Layer;
  if (isContainer(layer)) return layer.layers.reduce((n, l) => n + resetStates(l), 0);
  if (!layer.stateful || !layer.built) return 0;
  layer.resetStates();
  return 1;
}
