// A kernel module instance of its own whose buffers live across calls, for step-wise inference (a
// decoder run one token at a time): weights packed once and kept, states kept in WebAssembly memory
// between steps, rows reordered in place. The sequence kernels' shared workspace cannot hold such state:
// it is reset on every call. Arenas are pooled; an idle arena keeps what was loaded first (`cached`), so
// the next user of the same weights skips reading and packing them.
import type * as tf from '@tensorflow/tfjs';
import { f32View } from './tensorData';
import { kernelModule, preferredFlavor, type ExportArities, type KernelExports, type SimdFlavor } from './wasm';
import { Workspace } from './workspace';

/** The kernel exports an arena uses beyond the sequence kernels' (assembly/decode.ts). */
interface StepKernelExports extends KernelExports {
  gatherRows(rows: number, cols: number, table: number, tStride: number, ids: number, dst: number, dStride: number): void;
  scatterRows(rows: number, cols: number, src: number, sStride: number, ids: number, table: number, tStride: number): void;
  dotAttention(R: number, S: number, H: number, q: number, qStride: number, keys: number, values: number, srcOf: number,
    mask: number, w: number, wStride: number, ctx: number, cStride: number): void;
  additiveAttention(R: number, S: number, H: number, q: number, qStride: number, keys: number, v: number, values: number,
    srcOf: number, mask: number, w: number, wStride: number, ctx: number, cStride: number): void;
  tanhRows(rows: number, cols: number, x: number, xStride: number): void;
  logSoftmaxRows(rows: number, V: number, x: number, ldx: number): void;
  topKRows(rows: number, V: number, x: number, ldx: number, k: number, ids: number, vals: number): void;
}

/** The step exports as data, checked against the interface by the compiler and against the modules by generated.test.ts. */
export const STEP_KERNEL_EXPORT_ARITIES = {
  gatherRows: 7, scatterRows: 7, dotAttention: 13, additiveAttention: 14, tanhRows: 4, logSoftmaxRows: 4, topKRows: 7,
} as const satisfies ExportArities<Omit<StepKernelExports, keyof KernelExports>>;

/** A strided f32 matrix in an arena: byte offset and row stride in floats. */
export interface ArenaRows {
  ptr: number;
  stride: number;
}

/** Attention of rows over their sources (see {@link KernelArena.attention}). */
export interface ArenaAttention {
  rows: number;
  srcLen: number;
  units: number;
  query: ArenaRows;
  /** [sources, srcLen, units]. */
  keys: number;
  values: number;
  /** int32 [rows]: the source each row attends. */
  srcOf: number;
  /** float 0/1 [sources, srcLen], or 0 for none. */
  mask: number;
  /** Receives the weights [rows, srcLen]. */
  weights: ArenaRows;
  /** Receives the context [rows, units]. */
  context: ArenaRows;
  /** Additive scores Σ v tanh(q + k): the score vector [units]; absent = dot scores. */
  additiveV?: number;
}

const MAX_IDLE = 2;
/** Scratch of `gemmPacked`: one packed block of A (MR <= 6 rows x 16 panels x KC = 256), aligned. */
export const GEMM_SCRATCH_BYTES = 6 * 16 * 256 * 4 + 128;

let unsupported = false;
const idle: KernelArena[] = [];

function sameKey(a: readonly unknown[] | null, b: readonly unknown[]): boolean {
  return a !== null && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Persistent buffers on a private instance of the kernels: a bump allocator with marks, views, and the
 * step kernels (GEMM on pre-packed weights, GRU / LSTM gate math, row gathers, attention, log-softmax).
 * Pointers are byte offsets into the arena's memory; views are invalidated by the next allocation.
 */
export class KernelArena extends Workspace {
  declare readonly k: StepKernelExports;
  private scratch = 0;
  private cacheKey: readonly unknown[] | null = null;
  private cacheValue: unknown = null;
  private cacheTop = 0;
  private inUse = true;

  private constructor(readonly flavor: SimdFlavor) {
    super(new WebAssembly.Instance(kernelModule(flavor), {}).exports as unknown as StepKernelExports);
  }

  /**
   * True when arenas can be made here: the kernels compile synchronously (browsers' main threads refuse
   * synchronous compilation of modules this size; workers and Node accept it).
   */
  static supported(): boolean {
    if (unsupported) return false;
    try {
      kernelModule(preferredFlavor());
      return true;
    } catch {
      unsupported = true;
      return false;
    }
  }

  /** An arena from the pool (preferring one whose cached value has `key`), or a new one. */
  static acquire(key?: readonly unknown[]): KernelArena {
    const flavor = preferredFlavor();
    for (let i = idle.length - 1; i >= 0; i--) if ((idle[i] as KernelArena).flavor !== flavor) idle.splice(i, 1);
    let i = key ? idle.findIndex((a) => sameKey(a.cacheKey, key)) : -1;
    if (i < 0) i = idle.length - 1;
    const arena = i >= 0 ? (idle.splice(i, 1)[0] as KernelArena) : new KernelArena(flavor);
    arena.inUse = true;
    return arena;
  }

  /** Returns the arena to the pool: everything above the cached value is freed. */
  release(): void {
    if (!this.inUse) return;
    this.inUse = false;
    this.reset();
    if (this.flavor === preferredFlavor()) {
      idle.push(this);
      if (idle.length > MAX_IDLE) idle.shift();
    }
  }

  /** Frees everything above the cached value (everything when nothing is cached). */
  override reset(): void {
    this.top = this.cacheKey ? this.cacheTop : this.base;
    this.scratch = 0;
  }

  /**
   * The value `load` builds in this arena for `key` (compared element by element, e.g. the data ids of the
   * weights it reads), kept across releases: built again only when the key changes. Frees everything
   * allocated after it. Call first, before other allocations.
   */
  cached<T>(key: readonly unknown[], load: () => T): T {
    if (!sameKey(this.cacheKey, key)) {
      this.cacheKey = null;
      this.top = this.base;
      this.scratch = 0;
      const value = load();
      this.cacheKey = [...key];
      this.cacheValue = value;
      this.cacheTop = this.top;
    }
    this.top = this.cacheTop;
    this.scratch = 0;
    return this.cacheValue as T;
  }

  /** The current allocation point, for {@link resetTo}. */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated after `mark` (e.g. raw weights once packed). */
  resetTo(mark: number): void {
    if (!(mark >= this.base && mark <= this.top)) throw new RangeError(`resetTo: expected a mark in [${this.base}, ${this.top}]. Received: ${mark}`);
    this.top = mark;
    if (this.scratch >= mark) this.scratch = 0;
  }

  /** Copies a float32 tensor's values in (read without an intermediate copy on wasm). */
  putTensor(t: tf.Tensor): number {
    return this.put(f32View(t));
  }

  /** Copies a float32 tensor's values to `ptr` (room for `t.size` floats). */
  writeTensor(ptr: number, t: tf.Tensor): void {
    this.f32(ptr, t.size).set(f32View(t));
  }

  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.k.memory.buffer, ptr, n);
  }

  /** Bytes of op(B) (K x N) packed by {@link packB}. */
  packedBytes(K: number, N: number): number {
    return this.k.packedBBytes(K, N);
  }

  /**
   * Packs op(B) (K x N; B row-major K x N at `b` with row stride ldb, or N x K when transB) for {@link gemm},
   * into `dst` ({@link packedBytes} bytes) or a new buffer; returns where.
   */
  packB(transB: boolean, K: number, N: number, b: number, ldb: number, dst = this.allocBytes(this.k.packedBBytes(K, N))): number {
    this.k.packB(transB ? 1 : 0, K, N, b, ldb, dst);
    return dst;
  }

  /** C [M, N] = A [M, K] x packed B + beta C: the GEMM of the sequence kernels (row sums independent of M). */
  gemm(M: number, N: number, K: number, a: ArenaRows, packedB: number, beta: number, c: ArenaRows): void {
    if (this.scratch === 0) this.scratch = this.allocBytes(GEMM_SCRATCH_BYTES);
    this.k.gemmPacked(0, M, N, K, 1, a.ptr, a.stride, packedB, beta, c.ptr, c.stride, this.scratch);
  }

  /** dst[r] = table[ids[r]] for r < rows (cols floats each). */
  gatherRows(rows: number, cols: number, table: ArenaRows, ids: number, dst: ArenaRows): void {
    this.k.gatherRows(rows, cols, table.ptr, table.stride, ids, dst.ptr, dst.stride);
  }

  /** table[ids[r]] = src[r] for r < rows. */
  scatterRows(rows: number, cols: number, src: ArenaRows, ids: number, table: ArenaRows): void {
    this.k.scatterRows(rows, cols, src.ptr, src.stride, ids, table.ptr, table.stride);
  }

  /** dst[r] += row (a bias broadcast over rows). */
  addRow(rows: number, cols: number, dst: ArenaRows, row: number): void {
    this.k.addMulRows(rows, cols, dst.ptr, dst.stride, row, 0, 0, 0);
  }

  /**
   * Keras GRU step, resetAfter (gates z, r, h): `xg` [rows, 3u] holds x W + b_in, `rec` [rows, 3u] h U
   * (both overwritten); `recBias` the recurrent bias [3u] or 0; h [rows, u] (contiguous) is updated and
   * also written to `out`.
   */
  gruStep(rows: number, units: number, xg: ArenaRows, rec: ArenaRows, recBias: number, h: number, out: ArenaRows): void {
    this.k.gruForwardStep(rows, units, xg.ptr, xg.stride, rec.ptr, rec.stride, recBias, h, h, units, out.ptr, 0, out.stride, 0, 0, 0);
  }

  /** Keras LSTM step (gates i, f, c, o): `gates` [rows, 4u] the pre-activations; c, h [rows, u] updated; h also to `out`. */
  lstmStep(rows: number, units: number, gates: ArenaRows, c: number, h: number, out: ArenaRows): void {
    this.k.lstmForwardStep(rows, units, gates.ptr, gates.stride, c, h, c, units, out.ptr, 0, out.stride, 0, 0, 0);
  }

  /**
   * Each row attends its own source: scores (dot, or additive with `additiveV`), masked positions lowered
   * by 1e9 (Keras), softmax weights and the context Σ weights x values.
   */
  attention(a: ArenaAttention): void {
    const { rows, srcLen: S, units: H, query: q, weights: w, context: c } = a;
    if (a.additiveV !== undefined) {
      this.k.additiveAttention(rows, S, H, q.ptr, q.stride, a.keys, a.additiveV, a.values, a.srcOf, a.mask, w.ptr, w.stride, c.ptr, c.stride);
    } else {
      this.k.dotAttention(rows, S, H, q.ptr, q.stride, a.keys, a.values, a.srcOf, a.mask, w.ptr, w.stride, c.ptr, c.stride);
    }
  }

  /** x = tanh(x) on rows x cols. */
  tanh(rows: number, cols: number, x: ArenaRows): void {
    this.k.tanhRows(rows, cols, x.ptr, x.stride);
  }

  /** Each row of x [rows, V] becomes its log-softmax. */
  logSoftmax(rows: number, V: number, x: ArenaRows): void {
    this.k.logSoftmaxRows(rows, V, x.ptr, x.stride);
  }

  /**
   * The k largest values of each row of x [rows, V], sorted descending with ties by lower index: int32 ids
   * and f32 values [rows, k] (padded with -1 / -Infinity when a row has fewer values above -Infinity).
   */
  topK(rows: number, V: number, x: ArenaRows, k: number, ids: number, values: number): void {
    this.k.topKRows(rows, V, x.ptr, x.stride, k, ids, values);
  }
}
