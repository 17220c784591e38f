// Embedding lookup with a custom gradient that works on every backend.
import * as tf from '@tensorflow/tfjs';
import { fusedEmbeddingLookup, shouldUseFusedKernels } from '@rnnkit/core';

/**
 * Gathers rows of `table` (`[vocab, dim]`) for integer `ids` of any shape; returns `[...ids.shape, dim]`.
 *
 * The gradient for `table` sums the rows of repeated ids into a zero-filled dense `[vocab, dim]` tensor
 * (tfjs optimizers take dense gradients): O(tokens × dim) plus the zero fill. Where @rnnkit/core's fused
 * kernels are in use (`cpu`, `wasm`, `tensorflow` backends, kernel mode not 'composite'), its
 * `embeddingLookup` does this in plain loops over the ids; elsewhere (`webgl`, `webgpu`) `tf.scatterND`
 * does it on the device. tfjs's own `tf.gather` gradient uses `UnsortedSegmentSum`, which the `wasm`
 * backend does not register (so `model.fit` throws there) and which is linear in the vocabulary size per
 * token on `cpu`.
 */
export function embeddingLookup(table: tf.Tensor2D | tf.Tensor, ids: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const idsInt = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32');
    return shouldUseFusedKernels() ? fusedEmbeddingLookup(table, idsInt) : scatterEmbeddingLookup(table, idsInt);
  });
}

/** The device path: `tf.gather` forward, `tf.scatterND` into `[vocab, dim]` backward. */
function scatterEmbeddingLookup(table: tf.Tensor, idsInt: tf.Tensor): tf.Tensor {
  const [vocab, dim] = table.shape as [number, number];
  const flat = tf.reshape(idsInt, [-1]); // [tokens]
  const lookup = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor;
    const index = args[1] as tf.Tensor;
    (args[2] as tf.GradSaveFunc)([index]);
    return {
      value: tf.gather(t, index), // [tokens, dim]
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const idx = saved[0] as tf.Tensor;
        const g = Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy; // [tokens, dim]
        const dTable = tf.scatterND(tf.reshape(idx, [-1, 1]), g, [vocab, dim]); // [vocab, dim]
        return [dTable, tf.zerosLike(idx)];
      },
    };
  });
  const rows = lookup(table, flat) as tf.Tensor; // [tokens, dim]
  return tf.reshape(rows, [...idsInt.shape, dim]);
}
