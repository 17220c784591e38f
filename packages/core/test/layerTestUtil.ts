// Shared layer test helper, like Keras's `run_layer_test`: for a layer factory and its arguments,
// checks the output shape against computeOutputShape (eager and symbolic), the weight count and shapes,
// the getConfig -> fromConfig round trip (same config, JSON-safe, same outputs once weights are copied)
// and that calling the layer leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { expectClose, expectNoLeak } from './util/backends';

type AnyLayer = tf.layers.Layer;
type LayerClass = tf.serialization.SerializableConstructor<AnyLayer> & { fromConfig: tf.serialization.FromConfigMethod<AnyLayer> };

export interface LayerTestSpec<A> {
  /** Builds the layer from `args` (a factory such as `layers.lstm`). */
  factory: (args: A) => AnyLayer;
  args: A;
  /** Full input shape, batch included: `[batch, time, features]`. */
  inputShape: number[];
  /** Expected weight shapes in order (checked when given). */
  expectedWeightShapes?: number[][];
  /** Expected output shape(s) for the eager call (checked when given). */
  expectedOutputShape?: number[] | number[][];
  /** Call kwargs (e.g. `{ training: false }`). */
  callArgs?: Record<string, unknown>;
}

function shapes(out: unknown): number[][] {
  const list = Array.isArray(out) ? out : [out];
  return list.map((t) => (t as { shape: number[] }).shape);
}

function asShapeList(s: tf.Shape | tf.Shape[]): (number | null)[][] {
  return (Array.isArray(s[0]) ? s : [s]) as (number | null)[][];
}

/** Runs the standard checks on one layer configuration; returns the built layer's output shapes. */
export async function runLayerTest<A>(spec: LayerTestSpec<A>): Promise<number[][]> {
  const x = tf.randomNormal(spec.inputShape);
  const layer = spec.factory(spec.args);
  const cls = layer.constructor as LayerClass;
  try {
    // Output shape, eager, against computeOutputShape.
    const out = layer.apply(x, spec.callArgs) as tf.Tensor | tf.Tensor[];
    const got = shapes(out);
    expect(got).toEqual(asShapeList(layer.computeOutputShape(spec.inputShape)));
    if (spec.expectedOutputShape) expect(got).toEqual(asShapeList(spec.expectedOutputShape as tf.Shape | tf.Shape[]));

    // Symbolic apply: same shapes with an unknown batch size (stateful layers need the batch size).
    const symbolicLayer = spec.factory(spec.args);
    const input = layer.stateful ? tf.input({ batchShape: spec.inputShape }) : tf.input({ shape: spec.inputShape.slice(1) });
    const symOut = symbolicLayer.apply(input);
    expect(shapes(symOut)).toEqual(got.map((s) => [layer.stateful ? s[0] : null, ...s.slice(1)]));
    symbolicLayer.dispose();

    // Weights.
    if (spec.expectedWeightShapes) expect(layer.weights.map((w) => w.shape)).toEqual(spec.expectedWeightShapes);
    const names = layer.weights.map((w) => w.originalName);
    expect(new Set(names).size).toBe(names.length);

    // Config round trip.
    const config = layer.getConfig();
    const json = JSON.parse(JSON.stringify(config)) as tf.serialization.ConfigDict;
    expect(json).toEqual(config);
    const clone = cls.fromConfig(cls, json);
    expect(clone.getConfig()).toEqual(config);
    const cloneOut = clone.apply(x, spec.callArgs) as tf.Tensor | tf.Tensor[];
    clone.setWeights(layer.getWeights());
    if (clone.stateful) clone.resetStates();
    const again = clone.apply(x, spec.callArgs) as tf.Tensor | tf.Tensor[];
    const a = Array.isArray(out) ? out : [out];
    const b = Array.isArray(again) ? again : [again];
    a.forEach((t, i) => expectClose(b[i] as tf.Tensor, t, 1e-6));
    tf.dispose([out, cloneOut, again]);
    clone.dispose();

    // No leak.
    await expectNoLeak(() => layer.apply(x, spec.callArgs) as tf.Tensor | tf.Tensor[], 5);
    return got;
  } finally {
    layer.dispose();
    x.dispose();
  }
}
