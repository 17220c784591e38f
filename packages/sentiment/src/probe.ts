// The load-time output probe: a model whose weights produce NaN or Infinity (a diverged training, a
// corrupt file that still parses) is refused before anyone gets a meaningless prediction from it.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '@rnnkit/core';

/** What the probe needs: the forward pass on a batch of ids and the vocabulary's size. */
export interface Probeable {
  forward(ids: tf.Tensor2D, training?: boolean): tf.Tensor2D;
  readonly vocab: { readonly size: number; readonly unkId: number };
}

/**
 * Runs the network on a tiny input (two 3-token texts of small ids) and throws INVALID_MODEL when any
 * class probability is not finite. No tensors are left behind.
 */
export function assertFiniteOutputs(model: Probeable): void {
  const n = model.vocab.size;
  const ids = [model.vocab.unkId, Math.min(4, n - 1), Math.min(5, n - 1), Math.min(6, n - 1), Math.min(7, n - 1), model.vocab.unkId];
  const probs = tf.tidy(() => model.forward(tf.tensor2d(ids, [2, 3], 'int32'), false));
  const values = probs.dataSync();
  probs.dispose();
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new RnnkitError('INVALID_MODEL', `Expected finite class probabilities from the model on a probe input. Received: ${String(values[bad])} (the weights are not usable: a diverged training or a corrupt file)`);
  }
}
