// PyTorch nn.Embedding and nn.Linear state dicts as tfjs layers (stock classes, so models built from
// them save and load in stock tfjs too).
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { type StateDict, keyOf } from './stateDict';

/** Options of {@link embedding}. */
export interface TorchEmbeddingOptions {
  /** Mask id 0 downstream (Keras mask_zero): pair with padding_idx=0 and right padding for pack_padded_sequence semantics. Default false. */
  maskZero?: boolean;
  /** Fixed sequence length, if any (the layer's input shape becomes [batch, inputLength]). */
  inputLength?: number;
  name?: string;
}

/** Options of {@link linear}. */
export interface TorchLinearOptions {
  /** Activation applied after the affine map (default 'linear', as nn.Linear). */
  activation?: 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax';
  name?: string;
}

function matrix(weights: StateDict, prefix: string, name: string): tf.Tensor2D {
  const key = keyOf(prefix, name);
  const t = weights[key];
  if (t === undefined || t.rank !== 2) {
    throw new RnnkitError('WEIGHT_MISMATCH', `Expected a 2-D state-dict entry "${key}". Received ${t === undefined ? 'none' : `shape ${describeValue(t.shape)}`}.`);
  }
  return t as tf.Tensor2D;
}

function layerName(prefix: string, fallback: string, given?: string): string {
  return given ?? (prefix ? prefix.replace(/\W+/g, '_') : fallback);
}

/** `torchLayers.embedding(weights, prefix)`: nn.Embedding (`prefix.weight` [num, dim]) as an Embedding layer. */
export function embedding(weights: StateDict, prefix: string, options: TorchEmbeddingOptions = {}): tf.layers.Layer {
  const w = matrix(weights, prefix, 'weight'); // [num, dim]
  const [inputDim, outputDim] = w.shape;
  const layer = tf.layers.embedding({
    inputDim, outputDim, maskZero: options.maskZero ?? false, embeddingsInitializer: 'zeros', name: layerName(prefix, 'embedding', options.name),
    ...(options.inputLength === undefined ? {} : { inputLength: options.inputLength }),
  });
  layer.build([null, options.inputLength ?? null]);
  layer.setWeights([w]);
  return layer;
}

/** `torchLayers.linear(weights, prefix)`: nn.Linear (`prefix.weight` [out, in], `prefix.bias` [out]) as a Dense layer. */
export function linear(weights: StateDict, prefix: string, options: TorchLinearOptions = {}): tf.layers.Layer {
  const w = matrix(weights, prefix, 'weight'); // [out, in]
  const [units, inputDim] = w.shape;
  const bias = weights[keyOf(prefix, 'bias')];
  if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== units)) {
    throw new RnnkitError('WEIGHT_MISMATCH', `Expected "${keyOf(prefix, 'bias')}" of shape [${units}]. Received ${describeValue(bias.shape)}.`);
  }
  const layer = tf.layers.dense({
    units, useBias: bias !== undefined, activation: options.activation ?? 'linear', kernelInitializer: 'zeros', name: layerName(prefix, 'linear', options.name),
  });
  layer.build([null, inputDim]);
  const kernel = tf.transpose(w); // [in, out]
  layer.setWeights(bias === undefined ? [kernel] : [kernel, bias]);
  kernel.dispose();
  return layer;
}
