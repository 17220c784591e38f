// The per-step loops of the sequence kernels as functions of a range of batch rows. Batch rows never mix
// in the recurrence (every product and every gate reads and writes its own rows), so a loop over rows
// [r0, r0 + n) computes exactly those rows of the whole-batch loop, and two ranges can run the whole time
// loop on two threads with one join at the end (`splitRows`).
import type { KernelExports } from './wasm';
import type { Workspace } from './workspace';

/** The kernel calls a per-step loop makes: the module itself, or (threads) a recorder of the worker's half. */
export type StepKernels = Pick<KernelExports, 'gemm' | 'gemmPacked' | 'mulRows' | 'addMulRows' | 'fillRows'
  | 'lstmForwardStep' | 'lstmBackwardStep' | 'gruForwardStep' | 'gruBackwardStep' | 'gruV1ForwardGates'
  | 'gruV1ForwardOut' | 'gruV1BackwardA' | 'gruV1BackwardReset' | 'rnnForwardStep' | 'rnnBackwardStep'>;

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

/**
 * Runs `loop` over all B rows. The loop must make every change to memory through `rows.k` (no JS writes),
 * allocate nothing, and read only its own rows of per-row buffers.
 */
export function splitRows(k: KernelExports, ws: Workspace, B: number, scratch: number, loop: (rows: Rows) => void): void {
  void ws;
  loop(new Rows(k, 0, B, scratch));
}
