// Owns rnnkit's layer class table (rnnkitLayerClasses: every layer class by its Keras class name) and
// the two ways of putting it in tfjs's serialization map (registerRnnkitLayers, withRnnkitLayers).
// It imports every layer module and no layer module imports it: the modules that rebuild nested
// layers read the table through deserialize.ts, which this module supplies as it loads.
import * as tf from '@tensorflow/tfjs';
import { provideLayerClasses, type LayerClassEntry } from './deserialize';
import { GRU, GRUCell } from './gru';
import { LSTM, LSTMCell } from './lstm';
import { SimpleRNN, SimpleRNNCell } from './simpleRnn';
import { RNN } from './rnn';
import { StackedRNNCells } from './stackedRnnCells';
import { Bidirectional } from './bidirectional';
import { Attention } from './attention';
import { AdditiveAttention } from './additiveAttention';

export type { LayerClassEntry };

type AnySerializable = tf.serialization.SerializableConstructor<tf.serialization.Serializable>;
type FromConfig = tf.serialization.FromConfigMethod<tf.serialization.Serializable>;

function entry(cls: unknown): LayerClassEntry {
  const c = cls as AnySerializable;
  return [c, c.fromConfig as FromConfig];
}

/**
 * rnnkit's layer classes by (Keras) class name, in the entry shape of tfjs's serialization map and of
 * `customObjects`. Not registered globally: tfjs's own LSTM/GRU stay as they are. Note: tfjs 4.22
 * ignores `customObjects` for the layers inside a `Sequential` (its lookup reads a fixed key), so model
 * loaders should use `withRnnkitLayers(() => tf.models.modelFromJSON(...))` instead.
 */
export function rnnkitLayerClasses(): Record<string, LayerClassEntry> {
  return {
    // --- recurrent layers and cells (rnn.ts, simpleRnn.ts, lstm.ts, gru.ts, stackedRnnCells.ts)
    RNN: entry(RNN),
    SimpleRNN: entry(SimpleRNN),
    LSTM: entry(LSTM),
    GRU: entry(GRU),
    SimpleRNNCell: entry(SimpleRNNCell),
    LSTMCell: entry(LSTMCell),
    GRUCell: entry(GRUCell),
    StackedRNNCells: entry(StackedRNNCells),
    // --- other layers (append below)
    Bidirectional: entry(Bidirectional),
    Attention: entry(Attention),
    AdditiveAttention: entry(AdditiveAttention),
  };
}

provideLayerClasses(rnnkitLayerClasses);

/**
 * Opt-in: registers rnnkit's layers in tfjs's global serialization map, replacing tfjs's own classes of
 * the same names (LSTM, GRU, ...) for every later `tf.loadLayersModel` in this process.
 */
export function registerRnnkitLayers(): void {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  for (const [name, value] of Object.entries(rnnkitLayerClasses())) map[name] = value;
}

/**
 * Runs `fn` with rnnkit's layers registered in tfjs's serialization map, and restores the previous
 * entries afterwards (also on error). Use it around `tf.models.modelFromJSON` / `tf.loadLayersModel`.
 * Do not interleave it with an unrelated stock load in the same process while `fn` is pending.
 */
export async function withRnnkitLayers<T>(fn: () => T | Promise<T>): Promise<T> {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  const ours = rnnkitLayerClasses();
  const saved = new Map<string, LayerClassEntry | undefined>();
  for (const [name, value] of Object.entries(ours)) {
    saved.set(name, map[name] as LayerClassEntry | undefined);
    map[name] = value;
  }
  try {
    return await fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete map[name];
      else map[name] = value;
    }
  }
}
