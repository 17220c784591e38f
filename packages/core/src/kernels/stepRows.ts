// Where the per-step buffers of a sequence kernel live in the workspace: saved for BPTT ([batch, time,
// width]) or, in a forward-only call, one reused [batch, width] block; outputs all steps or the last two.
import type { Workspace } from './workspace';

/** Sizes of a sequence call. Data layouts are row-major: x [batch, time, inputDim]. */
export interface SequenceDims {
  batch: number;
  time: number;
  inputDim: number;
  units: number;
}

/**
 * Rows of one per-step buffer: step t's [batch, width] rows start at `at(t)`, `stride` floats apart. A
 * [batch, time, width] buffer when it is saved for the backward pass, or one [batch, width] block reused
 * by every step when it is not (`reuse`).
 */
export class StepRows {
  readonly base: number;
  readonly stride: number;
  private readonly step: number;

  constructor(ws: Workspace, d: SequenceDims, width: number, reuse: boolean) {
    this.base = ws.alloc(d.batch * (reuse ? 1 : d.time) * width);
    this.stride = reuse ? width : d.time * width;
    this.step = reuse ? 0 : width * 4;
  }

  at(t: number): number {
    return this.base + t * this.step;
  }
}

/**
 * Outputs in processing order: [batch, time, units], or with `lastOutputOnly` two [batch, units] blocks
 * used in turn (a masked step copies the previous output, so the previous step's block must survive).
 */
export class OutputRows {
  private readonly base: number;
  readonly stride: number;

  constructor(ws: Workspace, private readonly d: SequenceDims, private readonly lastOnly: boolean) {
    this.base = ws.alloc(d.batch * (lastOnly ? 2 : d.time) * d.units);
    this.stride = lastOnly ? d.units : d.time * d.units;
  }

  /** Output rows of processing step s. */
  at(s: number): number {
    return this.lastOnly ? this.base + (s & 1) * this.d.batch * this.d.units * 4 : this.base + s * this.d.units * 4;
  }

  /** The previous step's output rows (0 before the first step). */
  prev(s: number): number {
    return s > 0 ? this.at(s - 1) : 0;
  }

  /** The outputs a forward pass returns: [batch, time, units], or the last step's [batch, units]. */
  read(ws: Workspace): Float32Array {
    const { batch: B, time: T, units: U } = this.d;
    return this.lastOnly ? ws.read(this.at(T - 1), B * U) : ws.read(this.base, B * T * U);
  }
}
