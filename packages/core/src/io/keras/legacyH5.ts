// Keras's legacy HDF5 full-model format (`model.save('m.h5')` in Keras 2.x, tf.keras 2.x and Keras 3's
// legacy_h5_format): root attributes `model_config` (JSON), `keras_version`, `backend`; weights in
// `model_weights/<layer>` groups whose `weight_names` attribute lists the datasets, in the layer's
// weight order, at `model_weights/<layer>/<weight name>` (names such as `lstm/lstm_cell/kernel:0` in
// Keras 2, `lstm/lstm_cell/kernel` in Keras 3). Long attributes may be split into `weight_names0`,
// `weight_names1`, ... (Keras's HDF5_OBJECT_HEADER_LIMIT chunking).
import type * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '../../errors';
import { parseModelJson } from '../limits';
import { type Json, type JsonObject, isJsonObject } from '../normalize';
import { kerasArtifacts } from './artifacts';
import { convertCudnnWeights } from './cudnnWeights';
import { type H5Array, type H5File, openHdf5 } from './hdf5';
import { CUDNN_CLASSES, layersByName, prepareKerasConfig } from './kerasConfig';

/** A string-list attribute, joined from its numbered chunks when Keras split it. */
function stringList(h5: H5File, path: string, name: string): string[] {
  const whole = h5.attr(path, name);
  if (whole !== undefined) return toStrings(whole);
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const chunk = h5.attr(path, `${name}${i}`);
    if (chunk === undefined) return out;
    out.push(...toStrings(chunk));
  }
}

function toStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

function parseConfig(text: unknown, label: string): JsonObject {
  if (typeof text !== 'string') {
    throw new RnnkitError('INVALID_MODEL', `Expected ${label} to hold a "model_config" attribute (a full model saved with model.save). Received ${text === undefined ? 'none: a weights-only file?' : typeof text}.`);
  }
  const parsed = parseModelJson(text, `the "model_config" attribute of ${label}`) as Json; // size and depth capped
  if (!isJsonObject(parsed)) throw new RnnkitError('INVALID_MODEL', `Expected the "model_config" of ${label} to be a JSON object.`);
  return parsed;
}

/** The CuDNN class a layer config names, directly or inside a Bidirectional wrapper. */
function cudnnKind(layer: JsonObject | undefined): { kind: 'LSTM' | 'GRU'; wrapped: boolean } | null {
  if (!layer) return null;
  const direct = CUDNN_CLASSES[String(layer['class_name'])];
  if (direct) return { kind: direct, wrapped: false };
  const config = layer['config'];
  const inner = isJsonObject(config) && isJsonObject(config['layer']) ? CUDNN_CLASSES[String(config['layer']['class_name'])] : undefined;
  return layer['class_name'] === 'Bidirectional' && inner ? { kind: inner, wrapped: true } : null;
}

/** A layer's arrays with CuDNN layouts converted (Bidirectional: each half on its own). */
function preprocess(layer: JsonObject | undefined, name: string, arrays: H5Array[]): H5Array[] {
  const cudnn = cudnnKind(layer);
  if (!cudnn) return arrays;
  if (!cudnn.wrapped) return convertCudnnWeights(cudnn.kind, name, arrays);
  const half = arrays.length / 2;
  return [...convertCudnnWeights(cudnn.kind, name, arrays.slice(0, half)), ...convertCudnnWeights(cudnn.kind, name, arrays.slice(half))];
}

/** Reads a legacy Keras `.h5` full model into model artifacts (weights named `<layer>/<weight name>`). */
export function readLegacyH5(bytes: Uint8Array, label = 'the .h5 file'): tf.io.ModelArtifacts {
  const h5 = openHdf5(bytes, label);
  const raw = parseConfig(h5.attr('', 'model_config'), label);
  const version = h5.attr('', 'keras_version');
  const root = h5.keys('').includes('model_weights') ? 'model_weights' : '';
  const layerNames = stringList(h5, root, 'layer_names');
  if (layerNames.length === 0 && h5.keys(root).length > 0) {
    throw new RnnkitError('INVALID_MODEL', `Expected a "layer_names" attribute on "${root || '/'}" of ${label}. Received none.`);
  }
  const configs = layersByName(isJsonObject(raw['config']) || Array.isArray(raw['config']) ? raw : {});
  const named: Array<{ name: string; array: H5Array }> = [];
  for (const layer of layerNames) {
    const group = root ? `${root}/${layer}` : layer;
    const weightNames = stringList(h5, group, 'weight_names');
    const arrays = weightNames.map((w) => h5.read(`${group}/${w}`));
    preprocess(configs.get(layer), layer, arrays).forEach((array, i) => {
      const w = weightNames[i] as string;
      // Prefix with the layer's group so the name matcher finds the layer even when the weight name
      // does not start with it (layers of nested models).
      named.push({ name: w.startsWith(`${layer}/`) ? w : `${layer}/${w}`, array });
    });
  }
  return kerasArtifacts(prepareKerasConfig(raw), typeof version === 'string' ? version : undefined, named);
}
