// Shared plumbing of the fused sequence kernels: options, shape checks, time indexing, masks.
import { RnnkitError } from '../errors';
import { kernels, type KernelExports } from './wasm';
import { largeGemm, workspaceOf } from './gemm';
import type { Workspace } from './workspace';

/** Sizes of a sequence call. Data layouts are row-major: x [batch, time, inputDim]. */
export interface SequenceDims {
  batch: number;
  time: number;
  inputDim: number;
  units: number;
}

/** Options shared by the fused LSTM / GRU / SimpleRNN sequence kernels (Keras semantics). */
export interface SequenceOptions {
  /** Initial hidden state [batch, units]; zeros when absent. */
  h0?: Float32Array;
  /** Initial cell state [batch, units] (LSTM only); zeros when absent. */
  c0?: Float32Array;
  /** [batch, time], 0 = masked step (carries the states and repeats the previous output). */
  mask?: Float32Array;
  /** Process the sequence in reverse; outputs come out in processing order (as Keras). */
  goBackwards?: boolean;
  /** Variational input dropout mask [batch, inputDim], already scaled (0 or 1/(1-rate)). */
  inputDropoutMask?: Float32Array;
  /** Variational recurrent dropout mask [batch, units], already scaled. */
  recurrentDropoutMask?: Float32Array;
  /** Masked steps output zeros instead of repeating the previous output. */
  zeroOutputForMask?: boolean;
  /** Skip saving activations for the backward pass (inference); default false. */
  forwardOnly?: boolean;
}

/** Gradients arriving at a sequence kernel's outputs (any may be absent = zero). */
export interface SequenceGrads {
  /** d loss / d outputs [batch, time, units] (outputs in processing order). */
  dOutputs?: Float32Array;
  /** d loss / d last output [batch, units] (the last output is outputs[:, time - 1]). */
  dLast?: Float32Array;
  /** d loss / d final h [batch, units]. */
  dH?: Float32Array;
  /** d loss / d final c [batch, units] (LSTM). */
  dC?: Float32Array;
  /** Skip d loss / d x (returned empty): the input is data, not a function of trained weights. */
  skipInputGradient?: boolean;
  /**
   * Return d loss / d input projection (`dProj`) instead of computing dx: a caller that may not need dx
   * computes it later, only when asked, with `sequenceInputGradient`.
   */
  deferInputGradient?: boolean;
}

export function checkLength(name: string, a: Float32Array | undefined, n: number, shape: string): void {
  if (a !== undefined && a.length !== n) {
    throw new RnnkitError('INVALID_SHAPE', `Expected ${name} to have ${n} values (${shape}). Received: ${a.length}`);
  }
}

export function checkDims(d: SequenceDims): void {
  for (const [k, v] of Object.entries(d)) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected ${k} to be a positive integer. Received: ${k}=${v}`);
    }
  }
}

/** Checks the optional inputs shared by all cells. */
export function checkOptions(d: SequenceDims, o: SequenceOptions): void {
  const bu = `[${d.batch}, ${d.units}]`;
  checkLength('h0', o.h0, d.batch * d.units, bu);
  checkLength('c0', o.c0, d.batch * d.units, bu);
  checkLength('mask', o.mask, d.batch * d.time, `[${d.batch}, ${d.time}]`);
  checkLength('inputDropoutMask', o.inputDropoutMask, d.batch * d.inputDim, `[${d.batch}, ${d.inputDim}]`);
  checkLength('recurrentDropoutMask', o.recurrentDropoutMask, d.batch * d.units, bu);
}

export function checkGrads(d: SequenceDims, g: SequenceGrads): void {
  const bu = `[${d.batch}, ${d.units}]`;
  checkLength('dOutputs', g.dOutputs, d.batch * d.time * d.units, `[${d.batch}, ${d.time}, ${d.units}]`);
  checkLength('dLast', g.dLast, d.batch * d.units, bu);
  checkLength('dH', g.dH, d.batch * d.units, bu);
  checkLength('dC', g.dC, d.batch * d.units, bu);
}

/** Input time index processed at step s. */
export function timeAt(d: SequenceDims, goBackwards: boolean | undefined, s: number): number {
  return goBackwards ? d.time - 1 - s : s;
}

/** Copies an optional array into the workspace (0 when absent). */
export function putOpt(ws: Workspace, a: Float32Array | undefined): number {
  return a === undefined ? 0 : ws.put(a);
}

/** Copies `a` (or zeros) into a fresh buffer of n floats. */
export function putOrZero(ws: Workspace, a: Float32Array | undefined, n: number): number {
  const p = ws.alloc(n);
  if (a) ws.f32(p, n).set(a);
  else ws.zero(p, n);
  return p;
}

/** x * inputDropoutMask (broadcast over time), in place in the workspace. */
export function applyInputMask(k: KernelExports, d: SequenceDims, pX: number, pMask: number): void {
  if (pMask === 0) return;
  for (let b = 0; b < d.batch; b++) {
    const px = pX + b * d.time * d.inputDim * 4;
    k.mulRows(d.time, d.inputDim, px, d.inputDim, px, d.inputDim, pMask + b * d.inputDim * 4, 0);
  }
}

/** Largest GEMM scratch a sequence call needs (input projection, weight gradients, per-step products). */
export function seqScratchBytes(k: KernelExports, d: SequenceDims, gates: number): number {
  const bt = d.batch * d.time;
  const g = gates * d.units;
  return Math.max(
    k.gemmScratchBytes(bt, g, d.inputDim),
    k.gemmScratchBytes(d.inputDim, g, bt),
    k.gemmScratchBytes(d.units, g, bt),
    k.gemmScratchBytes(bt, d.inputDim, g),
    k.gemmScratchBytes(d.batch, g, d.units),
  ) + 64;
}

const EMPTY = new Float32Array(0);

/** Reads a saved buffer unless the call is forward-only. */
export function readSaved(ws: Workspace, o: SequenceOptions, ptr: number, n: number): Float32Array {
  return o.forwardOnly ? EMPTY : ws.read(ptr, n);
}

/** Throws when a backward pass is asked of a forward-only call. */
export function checkSaved(a: Float32Array, d: SequenceDims): void {
  if (a.length === 0 && d.batch > 0) {
    throw new RnnkitError('INVALID_STATE', 'Expected a forward pass that saved its activations. Received: forwardOnly: true');
  }
}

/**
 * dx [B, T, in] = (dProj [B*T, G] @ kernel^T [G, in]) * inputDropoutMask: the input gradient a backward
 * pass with `deferInputGradient` left out, computed when (and only when) it is needed.
 */
export function sequenceInputGradient(dProj: Float32Array, kernel: Float32Array, d: SequenceDims, G: number,
  inputDropoutMask?: Float32Array, k: KernelExports = kernels()): Float32Array {
  const BT = d.batch * d.time;
  checkLength('dProj', dProj, BT * G, `[${d.batch}, ${d.time}, ${G}]`);
  checkLength('kernel', kernel, d.inputDim * G, `[${d.inputDim}, ${G}]`);
  const ws = workspaceOf(k);
  ws.reset();
  const pD = ws.put(dProj);
  const pW = ws.put(kernel);
  const pInM = putOpt(ws, inputDropoutMask);
  const pdX = ws.alloc(BT * d.inputDim);
  const scratch = ws.allocBytes(k.gemmScratchBytes(BT, d.inputDim, G) + 64);
  largeGemm(k, ws, 0, 1, BT, d.inputDim, G, 1, pD, G, pW, G, 0, pdX, d.inputDim, scratch);
  applyInputMask(k, d, pdX, pInM);
  const dx = ws.read(pdX, BT * d.inputDim);
  ws.reset();
  return dx;
}
