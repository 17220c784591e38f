// Config forms found only in Keras's own files (not in tensorflowjs_converter output), rewritten into
// the forms normalizeTopology (../normalize.ts) takes. Pure JSON -> JSON.
// - Keras 2.0-2.2 Sequential configs are a bare list of layers.
// - CuDNNLSTM / CuDNNGRU (Keras 2.x, tf.keras 1.x) become LSTM / GRU with the CuDNN semantics
//   (sigmoid gates, tanh, GRU reset_after=true), as tf.keras's hdf5_format loads them into LSTM/GRU;
//   their weights are converted by ./cudnnWeights.ts.
// - A GRU config without `reset_after` was written before Keras 2.1.3, when GRU had only the
//   reset-before form: it gets `reset_after: false` (rnnkit's default is Keras's later `true`).
// - Conv1D with causal padding is refused (UNSUPPORTED) here, at load time, not at the first predict.
import { RnnkitError } from '../../errors';
import { type Json, type JsonObject, isJsonObject } from '../normalize';

/** The CuDNN layer classes and the layer classes they load as. */
export const CUDNN_CLASSES: Record<string, 'LSTM' | 'GRU'> = { CuDNNLSTM: 'LSTM', CuDNNGRU: 'GRU' };

const CUDNN_DEFAULTS: Record<'LSTM' | 'GRU', JsonObject> = {
  LSTM: { activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, dropout: 0, recurrent_dropout: 0, unroll: false },
  GRU: { activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, dropout: 0, recurrent_dropout: 0, unroll: false, reset_after: true },
};

/** Keys of a serialized layer's config that hold nested layers (wrappers, RNN cells, containers). */
const NESTED_KEYS = ['layer', 'backward_layer', 'cell', 'cells', 'layers'];

function rewriteLayer(obj: JsonObject): void {
  const className = obj['class_name'];
  const config = obj['config'];
  if (typeof className !== 'string') return;
  if (className === 'Sequential' && Array.isArray(config)) {
    obj['config'] = { name: 'sequential', layers: config };
  }
  const cfg = obj['config'];
  if (!isJsonObject(cfg)) return;
  if (className === 'Conv1D' && cfg['padding'] === 'causal') {
    // tfjs-layers 4.22 has no causal padding (it throws NotImplementedError at predict time).
    throw new RnnkitError('UNSUPPORTED', `Expected Conv1D padding "valid" or "same". Received padding "causal" in layer "${String(cfg['name'])}", which tfjs cannot run.`);
  }
  const target = CUDNN_CLASSES[className];
  if (target) {
    obj['class_name'] = target;
    for (const [key, value] of Object.entries(CUDNN_DEFAULTS[target])) if (!(key in cfg)) cfg[key] = value;
  } else if ((className === 'GRU' || className === 'GRUCell') && !('reset_after' in cfg)) {
    cfg['reset_after'] = false;
  }
  for (const key of NESTED_KEYS) visit(cfg[key]);
}

function visit(value: Json | undefined): void {
  if (Array.isArray(value)) value.forEach(visit);
  else if (isJsonObject(value)) rewriteLayer(value);
}

/** Returns a copy of a Keras model config with the rewrites above applied (nested layers included). */
export function prepareKerasConfig(modelConfig: JsonObject): JsonObject {
  const copy = JSON.parse(JSON.stringify(modelConfig)) as JsonObject;
  rewriteLayer(copy);
  return copy;
}

/** Every layer config of a (not yet rewritten) model config by layer name, nested models included. */
export function layersByName(modelConfig: JsonObject): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  const walk = (value: Json | undefined): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isJsonObject(value)) return;
    const config = value['config'];
    const layers = Array.isArray(config) ? config : isJsonObject(config) ? config['layers'] : undefined;
    const name = isJsonObject(config) ? config['name'] : undefined;
    if (typeof name === 'string') out.set(name, value);
    if (typeof value['name'] === 'string' && !out.has(value['name'])) out.set(value['name'], value);
    walk(layers);
  };
  walk(modelConfig);
  return out;
}
