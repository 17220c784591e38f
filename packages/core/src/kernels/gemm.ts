// GEMM on Float32Arrays through the WebAssembly kernels: C = alpha * op(A) * op(B) + beta * C.
import { kernels, type KernelExports } from './wasm';
import { Workspace } from './workspace';
import { PARALLEL_MIN_MACS, parallelGemm, poolFor } from './threads';

export interface GemmOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  alpha?: number;
  /** Scales `c` when given; default 0 (C is overwritten). */
  beta?: number;
  /** Existing C (M x N) used with beta; a new array is returned either way. */
  c?: Float32Array;
}

const spaces = new WeakMap<KernelExports, Workspace>();

/** The arena of a kernel module (one per module). */
export function workspaceOf(k: KernelExports = kernels()): Workspace {
  let ws = spaces.get(k);
  if (!ws) {
    ws = new Workspace(k);
    spaces.set(k, ws);
  }
  return ws;
}

/**
 * Row-major sgemm: `a` is M x K (K x M when transposeA), `b` is K x N (N x K when transposeB); returns
 * the M x N result. Copies in and out of WebAssembly memory (the fused kernels call the wasm GEMM directly).
 */
export function gemm(a: Float32Array, b: Float32Array, M: number, N: number, K: number, opts: GemmOptions = {},
  k: KernelExports = kernels()): Float32Array {
  if (a.length !== M * K || b.length !== K * N) {
    throw new RangeError(`gemm: expected a of ${M * K} and b of ${K * N} floats. Received: ${a.length}, ${b.length}`);
  }
  const tA = opts.transposeA ? 1 : 0;
  const tB = opts.transposeB ? 1 : 0;
  const ws = workspaceOf(k);
  ws.reset();
  const pa = ws.put(a);
  const pb = ws.put(b);
  const pc = ws.alloc(M * N);
  const scratch = ws.allocBytes(k.gemmScratchBytes(M, N, K) + 64);
  const beta = opts.beta ?? 0;
  if (opts.c && beta !== 0) ws.f32(pc, M * N).set(opts.c);
  largeGemm(k, ws, tA, tB, M, N, K, opts.alpha ?? 1, pa, tA ? M : K, pb, tB ? K : N, beta, pc, N, scratch);
  const out = ws.read(pc, M * N);
  ws.reset();
  return out;
}

/**
 * The large products of a kernel call (pointer arguments as `KernelExports.gemm`): split across two
 * threads when `enableThreads()` is on for this module and the product is big enough, else one thread.
 */
export function largeGemm(k: KernelExports, ws: Workspace, tA: number, tB: number, M: number, N: number, K: number,
  alpha: number, A: number, lda: number, B: number, ldb: number, beta: number, C: number, ldc: number, scratch: number): void {
  // split by columns when there are more columns than rows (parallelGemm), so at least one 8-column panel each
  if (M * N * K >= PARALLEL_MIN_MACS && (N > M ? N >= 16 : M >= 24) && poolFor(k)) {
    parallelGemm(ws, tA, tB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, scratch);
    return;
  }
  k.gemm(tA, tB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, scratch);
}
