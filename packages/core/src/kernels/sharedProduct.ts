// A product whose weights (op(B), packed once) are copied from a KernelArena into the two-thread kernels'
// shared memory, for a step-wise decoder: its arena is a private kernel instance the worker cannot reach,
// and its largest product, the output projection [rows, vocabulary], is worth both threads when a batch of
// sentences decodes at once. The product is split by the packed 8-column panels, so each element is computed
// exactly as the arena computes it on one thread.
import { GEMM_SCRATCH_BYTES, type ArenaRows, type KernelArena } from './arena';
import { workspaceOf } from './gemm';
import { callRecorder, PARALLEL_MIN_MACS, poolFor, runWithWorker } from './threads';
import { kernels, type KernelExports } from './wasm';

/** Bytes of one packed 8-column panel of op(B) with K rows (assembly/gemm.ts: [K][8] floats). */
const panelBytes = (K: number): number => K * 8 * 4;

/**
 * op(B) (K x N, packed in an arena) kept in the shared memory; {@link run} computes a product with it on both
 * threads. Made by {@link SharedPackedProduct.create} only while the second thread runs; {@link dispose}
 * frees the copy (it is kept across the workspace's resets until then).
 */
export class SharedPackedProduct {
  private live = true;

  private constructor(private readonly k: KernelExports, private readonly packed: number, readonly K: number, readonly N: number) {}

  /**
   * A copy of op(B) packed at `packedB` in `arena` (K x N), or null when the kernels run on one thread or N
   * is too narrow to split (under two panels).
   */
  static create(arena: KernelArena, packedB: number, K: number, N: number): SharedPackedProduct | null {
    const k = kernels();
    if (!poolFor(k) || N < 16 || K <= 0) return null;
    const bytes = arena.packedBytes(K, N);
    const ws = workspaceOf(k);
    ws.reset();
    const ptr = ws.allocBytes(bytes);
    new Uint8Array(k.memory.buffer, ptr, bytes).set(new Uint8Array(arena.k.memory.buffer, packedB, bytes));
    ws.keep(ptr, bytes);
    return new SharedPackedProduct(k, ptr, K, N);
  }

  /**
   * c [M, N] = a [M, K] x op(B), a and c in `arena`, on both threads: columns [0, n1) here, the rest on the
   * worker. Returns false, having done nothing, when the product is too small to pay for the hand-off and the
   * copies, or when the second thread has stopped since; the caller then runs the arena's own product.
   */
  run(arena: KernelArena, M: number, a: ArenaRows, c: ArenaRows): boolean {
    const { k, K, N } = this;
    if (!this.live || M * N * K < PARALLEL_MIN_MACS || !poolFor(k) || kernels() !== k) return false;
    const ws = workspaceOf(k);
    ws.reset();
    const pA = ws.alloc(M * K);
    const pC = ws.alloc(M * N);
    const s1 = ws.allocBytes(GEMM_SCRATCH_BYTES);
    const s2 = ws.allocBytes(GEMM_SCRATCH_BYTES);
    copyRows(arena.f32(a.ptr, (M - 1) * a.stride + K), a.stride, ws.f32(pA, M * K), K, M, K);
    const n1 = Math.ceil(N / 2 / 8) * 8;
    const rec = callRecorder();
    rec.gemmPacked(0, M, N - n1, K, 1, pA, K, this.packed + (n1 / 8) * panelBytes(K), 0, pC + n1 * 4, N, s2);
    runWithWorker(ws, rec, () => k.gemmPacked(0, M, n1, K, 1, pA, K, this.packed, 0, pC, N, s1));
    copyRows(ws.f32(pC, M * N), N, arena.f32(c.ptr, (M - 1) * c.stride + N), c.stride, M, N);
    ws.reset();
    return true;
  }

  /** Frees the shared copy (idempotent). */
  dispose(): void {
    if (!this.live) return;
    this.live = false;
    workspaceOf(this.k).unkeep(this.packed);
  }
}

/** `rows` rows of `cols` floats from `src` (row stride `ss`) to `dst` (row stride `ds`). */
function copyRows(src: Float32Array, ss: number, dst: Float32Array, ds: number, rows: number, cols: number): void {
  if (ss === cols && ds === cols) {
    dst.set(src.subarray(0, rows * cols));
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(src.subarray(r * ss, r * ss + cols), r * ds);
}
