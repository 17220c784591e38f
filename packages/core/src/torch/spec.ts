// A tf.sequential model from a JSON spec of PyTorch modules (what rnnkit-convert --torch reads):
// `{ inputShape?, inputDtype?, layers: [{ type: 'embedding' | 'recurrent' | 'linear', prefix, ...options }] }`.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { type TorchEmbeddingOptions, type TorchLinearOptions, embedding, linear } from './feedForward';
import { type TorchRecurrentOptions, recurrent } from './recurrent';
import type { StateDict } from './stateDict';

/** One module of a {@link TorchModelSpec}: its kind, its state-dict prefix and its options. */
export type TorchModuleSpec =
  | ({ type: 'embedding'; prefix: string } & TorchEmbeddingOptions)
  | ({ type: 'recurrent'; prefix: string } & TorchRecurrentOptions)
  | ({ type: 'linear'; prefix: string } & TorchLinearOptions);

/** The modules of a PyTorch model, in the order its forward applies them. */
export interface TorchModelSpec {
  /** Input shape without the batch (default `[null]` for token ids when the first module is an embedding). */
  inputShape?: Array<number | null>;
  /** Input dtype (default int32 before an embedding, else float32). */
  inputDtype?: 'int32' | 'float32';
  layers: TorchModuleSpec[];
}

function bad(message: string): RnnkitError {
  return new RnnkitError('PARSE_ERROR', `Invalid PyTorch model spec: ${message}`);
}

/** Checks the JSON shape of a spec (`PARSE_ERROR` naming the first problem). */
export function checkTorchSpec(spec: unknown): TorchModelSpec {
  const s = spec as Partial<TorchModelSpec> | null;
  if (s == null || typeof s !== 'object' || !Array.isArray(s.layers) || s.layers.length === 0) {
    throw bad(`expected an object with a non-empty "layers" list. Received ${describeValue(spec)}`.slice(0, 300));
  }
  s.layers.forEach((m, i) => {
    if (m == null || typeof m !== 'object' || !['embedding', 'recurrent', 'linear'].includes(String(m.type)) || typeof m.prefix !== 'string') {
      throw bad(`expected layers[${i}] to be {"type": "embedding" | "recurrent" | "linear", "prefix": string, ...}. Received ${describeValue(m)}`.slice(0, 300));
    }
  });
  if (s.inputShape !== undefined && (!Array.isArray(s.inputShape) || !s.inputShape.every((d) => d === null || (Number.isInteger(d) && d > 0)))) {
    throw bad(`expected inputShape to be a list of positive integers or null. Received ${describeValue(s.inputShape)}`);
  }
  return s as TorchModelSpec;
}

/** Builds the tf.sequential model a spec describes from PyTorch state-dict entries (copied; `weights` stay the caller's). */
export function torchSequential(weights: StateDict, spec: TorchModelSpec): tf.Sequential {
  const checked = checkTorchSpec(spec);
  const first = checked.layers[0] as TorchModuleSpec;
  const byEmbedding = first.type === 'embedding';
  const inputShape = checked.inputShape ?? (byEmbedding ? [null] : first.type === 'recurrent' ? [null, first.inputSize] : null);
  if (inputShape === null) throw bad('expected inputShape for a model that starts with a linear layer.');
  const layers: tf.layers.Layer[] = [tf.layers.inputLayer({ batchInputShape: [null, ...inputShape], dtype: checked.inputDtype ?? (byEmbedding ? 'int32' : 'float32') })];
  try {
    for (const m of checked.layers) {
      if (m.type === 'embedding') layers.push(embedding(weights, m.prefix, m));
      else if (m.type === 'linear') layers.push(linear(weights, m.prefix, m));
      else layers.push(...recurrent(weights, m.prefix, m).layers);
    }
    return tf.sequential({ layers });
  } catch (err) {
    for (const layer of layers) {
      try {
        layer.dispose();
      } catch {
        layer.weights.forEach((w) => w.dispose());
      }
    }
    throw err;
  }
}
