// The load-time output probe: a model whose weights produce NaN or Infinity (a diverged training, a
// corrupt file that still parses) is refused at load instead of decoding garbage ids later.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '@rnnkit/core';
import type { Seq2Seq } from './model';

/**
 * Encodes a tiny source (two 3-unit rows of small ids) and scores the first target token; throws
 * INVALID_MODEL when any log-probability or attention weight is NaN or +Infinity. No tensors are left.
 */
export function assertFiniteOutputs(model: Seq2Seq, bosId: number): void {
  const n = model.config.srcVocabSize;
  const ids = [1, Math.min(4, n - 1), Math.min(5, n - 1), Math.min(6, n - 1), Math.min(7, n - 1), 1];
  const src = tf.tensor2d(ids, [2, 3], 'int32');
  const mask = tf.ones([2, 3]) as tf.Tensor2D;
  const stepper = model.stepper(src, mask);
  tf.dispose([src, mask]);
  try {
    const { logProbs, attention } = stepper.step(new Int32Array([bosId, bosId]));
    // -Infinity is a legitimate log-probability (a token the softmax underflows to 0); NaN and +Infinity are not
    const bad = [...logProbs, ...attention].find((v) => Number.isNaN(v) || v === Infinity);
    if (bad !== undefined) {
      throw new RnnkitError('INVALID_MODEL', `Expected finite outputs from the model on a probe input. Received: ${String(bad)} (the weights are not usable: a diverged training or a corrupt file)`);
    }
  } finally {
    stepper.dispose();
  }
}
