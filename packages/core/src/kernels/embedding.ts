// Embedding lookup whose gradient scatters into the rows the batch used (tfjs's gather gradient goes
// through UnsortedSegmentSum: missing on wasm, linear in the vocabulary size per row on cpu).
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '../errors';
import { f32View, i32View } from './tensorData';

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

/** Dense gradients known to be zero outside some rows: the gradient tensor -> its rows (ascending not required). */
const rowSparse = new WeakMap<tf.Tensor, Int32Array>();

/**
 * The rows holding the values of a row-sparse gradient (every other row is zero): set for the table
 * gradients of `fusedEmbeddingLookup`, so an optimizer such as `LazyAdam` can update only those rows.
 * Undefined for any other tensor (including a sum of such gradients, which tfjs makes with a new tensor).
 */
export function rowSparseGradientRows(t: tf.Tensor): Int32Array | undefined {
  return rowSparse.get(t);
}

/** Records that `t` is zero outside `rows` (for transformations that keep zero rows zero, e.g. clipping). */
export function markRowSparse(t: tf.Tensor, rows: Int32Array): void {
  rowSparse.set(t, rows);
}

/** One reusable dense gradient buffer (wasm only, see `denseGradient`), zero between calls. */
let scratch: Float32Array | null = null;

/**
 * The dense [vocab, D] gradient tfjs optimizers need, filled at the used rows. On `wasm` the tensor gets
 * a copy of the data, so one zeroed buffer is reused and only the touched rows are cleared afterwards:
 * O(ids * D) work plus one memory copy, and no 4 * vocab * D byte allocation per step (whose garbage
 * collection cost more than the scatter). Other backends may keep the array they are given: a fresh one.
 */
function denseGradient(g: SparseRows, vocab: number, D: number): tf.Tensor {
  const n = vocab * D;
  const reuse = tf.getBackend() === 'wasm';
  if (reuse && scratch?.length !== n) scratch = new Float32Array(n);
  const dense = reuse ? (scratch as Float32Array) : new Float32Array(n);
  for (let r = 0; r < g.rows.length; r++) dense.set(g.values.subarray(r * D, r * D + D), (g.rows[r] as number) * D);
  const out = tf.tensor(dense, [vocab, D]);
  rowSparse.set(out, g.rows);
  if (reuse) for (let r = 0; r < g.rows.length; r++) dense.fill(0, (g.rows[r] as number) * D, (g.rows[r] as number) * D + D);
  return out;
}

/** Backends whose data lives in JavaScript-visible memory: rows are copied directly (tfjs-wasm's Gather
 * takes ~100 ms for 16,384 rows of 128 floats, ~0.15 ms for 20; this copy ~2 ms and ~0.01 ms). */
const DIRECT_GATHER = new Set(['cpu', 'wasm']);

/** table rows at ids -> [ids.length, D] (a row copy per id on cpu / wasm, tf.gather elsewhere). */
function gatherRows(table: tf.Tensor, ids: Int32Array, vocab: number, D: number): tf.Tensor {
  if (table.dtype !== 'float32' || !DIRECT_GATHER.has(tf.getBackend())) return tf.gather(table, tf.tensor1d(ids, 'int32'));
  const src = f32View(table); // read now: no tfjs op until the copy is done
  const out = new Float32Array(ids.length * D);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (!(id >= 0 && id < vocab)) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected ids in [0, ${vocab - 1}]. Received: ${id} at position ${i}`);
    }
    out.set(src.subarray(id * D, id * D + D), i * D);
  }
  return tf.tensor2d(out, [ids.length, D]);
}

/**
 * table [vocab, D] gathered at ids (int32, any shape) -> [...ids.shape, D]. The table's gradient is a dense
 * tensor (tfjs optimizers need one) filled only at the used rows: O(ids * D) adds plus one dense fill.
 * On `cpu` and `wasm` the forward copies the rows directly (ids outside [0, vocab) throw INVALID_ARGUMENT,
 * as tfjs's cpu Gather throws); elsewhere it is `tf.gather`.
 */
export function fusedEmbeddingLookup(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const [vocab, D] = table.shape as [number, number];
  const idArr = Int32Array.from(i32View(ids));
  const op = tf.customGrad((...args: unknown[]) => {
    const t = args[0] as tf.Tensor;
    const value = tf.tidy(() => tf.reshape(gatherRows(t, idArr, vocab, D), [...ids.shape, D]));
    return {
      value,
      gradFunc: (dy: tf.Tensor) => denseGradient(embeddingGradRows(idArr, dy.dataSync() as Float32Array, D, vocab), vocab, D),
    };
  });
  return op(table);
}
