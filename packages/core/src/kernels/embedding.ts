// Embedding lookup whose gradient scatters into the rows the batch used (tfjs's gather gradient goes
// through UnsortedSegmentSum: missing on wasm, linear in the vocabulary size per row on cpu).
import * as tf from '@tensorflow/tfjs';

/** Sparse gradient of an embedding: the distinct ids used and the summed gradient rows [rows.length, D]. */
export interface SparseRows {
  rows: Int32Array;
  values: Float32Array;
}

/** Sums dOut rows [n, D] by id: one row per distinct id (ids outside [0, vocab) skipped). */
export function embeddingGradRows(ids: ArrayLike<number>, dOut: Float32Array, D: number, vocab: number): SparseRows {
  const slot = new Map<number, number>();
  const order: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id >= 0 && id < vocab && !slot.has(id)) {
      slot.set(id, order.length);
      order.push(id);
    }
  }
  const values = new Float32Array(order.length * D);
  for (let i = 0; i < ids.length; i++) {
    const s = slot.get(ids[i] as number);
    if (s === undefined) continue;
    const o = s * D;
    const src = i * D;
    for (let j = 0; j < D; j++) values[o + j] = (values[o + j] as number) + (dOut[src + j] as number);
  }
  return { rows: Int32Array.from(order), values };
}

/**
 * table [vocab, D] gathered at ids (int32, any shape) -> [...ids.shape, D]. The table's gradient is a dense
 * tensor (tfjs optimizers need one) filled only at the used rows: O(vocab * D) zeros plus O(ids * D) adds.
 */
export function embeddingLookup(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const [vocab, D] = table.shape as [number, number];
  const idArr = Int32Array.from(ids.dataSync() as ArrayLike<number>);
  const op = tf.customGrad((...args: unknown[]) => {
    const t = args[0] as tf.Tensor;
    const value = tf.tidy(() => tf.reshape(tf.gather(t, tf.tensor1d(idArr, 'int32')), [...ids.shape, D]));
    return {
      value,
      gradFunc: (dy: tf.Tensor) => {
        const g = embeddingGradRows(idArr, dy.dataSync() as Float32Array, D, vocab);
        const dense = new Float32Array(vocab * D);
        for (let r = 0; r < g.rows.length; r++) dense.set(g.values.subarray(r * D, r * D + D), (g.rows[r] as number) * D);
        return tf.tensor(dense, [vocab, D]);
      },
    };
  });
  return op(table);
}
