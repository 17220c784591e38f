// Named float32 arrays + a Keras model config -> tf.io.ModelArtifacts, the form the rest of the loader
// (../loadModel.ts modelFromArtifacts: normalize, build, match weights by name) already takes.
import type * as tf from '@tensorflow/tfjs';
import type { JsonObject } from '../normalize';
import type { H5Array } from './hdf5';

/** Artifacts holding `modelConfig` (wrapped with its keras_version) and the arrays, in order, as float32. */
export function kerasArtifacts(modelConfig: JsonObject, kerasVersion: string | undefined, arrays: Array<{ name: string; array: H5Array }>): tf.io.ModelArtifacts {
  const total = arrays.reduce((n, a) => n + a.array.values.length, 0);
  const data = new Float32Array(total);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  let at = 0;
  for (const { name, array } of arrays) {
    data.set(array.values, at);
    at += array.values.length;
    weightSpecs.push({ name, shape: array.shape, dtype: 'float32' });
  }
  const modelTopology: JsonObject = { model_config: modelConfig };
  if (kerasVersion !== undefined) modelTopology['keras_version'] = kerasVersion;
  return { modelTopology, weightSpecs, weightData: data.buffer, format: 'layers-model', generatedBy: kerasVersion === undefined ? 'keras' : `keras v${kerasVersion}` };
}
