// The per-step loops of the sequence kernels as functions of a range of batch rows. Batch rows never mix
// in the recurrence (every product and every gate reads and writes its own rows, and the GEMM computes a
// row the same way whatever M is), so a loop over rows [r0, r0 + n) computes exactly those rows of the
// whole-batch loop. With the thread pool running, `splitRows` runs the whole time loop of rows [0, b1)
// here and of rows [b1, B) on the worker, with one hand-off and one join per loop, not per step: the
// worker's half is first run against a recorder (the loops branch on nothing the kernels compute, so the
// recorded calls are exactly the ones the worker must make), then replayed by the worker.
import type { KernelExports } from './wasm';
import type { Workspace } from './workspace';
import { callRecorder, poolFor, runWithWorker, type StepKernels } from './threads';

export type { StepKernels };

/** Rows [r0, r0 + n) of a batch, the kernels their calls go to, and the GEMM scratch of their thread. */
export class Rows {
  constructor(readonly k: StepKernels, readonly r0: number, readonly n: number, readonly scratch: number) {}

  /** `p` moved to row r0 of a buffer whose rows are `stride` floats apart; 0 (an absent buffer) stays 0. */
  at(p: number, stride: number): number {
    return p === 0 ? 0 : p + this.r0 * stride * 4;
  }

  /** Step t's entries of a [batch, time] mask at `pMask` (0 when there is no mask). */
  mask(pMask: number, t: number, T: number): number {
    return pMask === 0 ? 0 : pMask + (this.r0 * T + t) * 4;
  }
}

let minSplitBatch = 8;

/**
 * Batches of at least this many rows are split across the two threads (default 8: below that the
 * per-step products are too small for the hand-off to pay). Returns the previous value; for tests and
 * benchmarks.
 */
export function setMinSplitBatch(rows: number): number {
  const prev = minSplitBatch;
  minSplitBatch = Math.max(2, Math.floor(rows));
  return prev;
}

/**
 * Runs `loop` over all B rows: as one range on this thread, or (thread pool running for `k`, B at least
 * the minimum) as two, rows [0, ceil(B / 2)) here and the rest on the worker. The loop must make every
 * change to memory through `rows.k` (no JS writes), allocate nothing, use `rows.scratch` as its GEMM
 * scratch and touch only its own rows of per-row buffers.
 */
export function splitRows(k: KernelExports, ws: Workspace, B: number, scratch: number, loop: (rows: Rows) => void): void {
  if (B < minSplitBatch || !poolFor(k)) {
    loop(new Rows(k, 0, B, scratch));
    return;
  }
  const b1 = Math.ceil(B / 2);
  // gemmPacked uses only the packed-A block of a scratch, the same size for any M, N, K
  const workerScratch = ws.allocBytes(k.gemmScratchBytes(1, 1, 1) + 64);
  const rec = callRecorder();
  loop(new Rows(rec, b1, B - b1, workerScratch));
  runWithWorker(ws, rec, () => loop(new Rows(k, 0, b1, scratch)));
}
