// Shared plumbing of the fused sequence kernels: options, shape checks, time indexing, masks, and the
// steps every cell's forward and backward pass share (workspace set-up, input projection and its gradients).
import { RnnkitError } from '../errors';
import { kernels, type KernelExports } from './wasm';
import { largeGemm, workspaceOf } from './gemm';
import type { Workspace } from './workspace';
import { OutputRows, StepRows, type SequenceDims } from './stepRows';
import type { Rows } from './rowSplit';
import { saveActivations, type KeptActivations } from './savedBlocks';

export type { SequenceDims };

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
  /**
   * Keep the activations the backward pass needs in WebAssembly memory (`saved.kept`, the arrays of `saved`
   * then empty) instead of copying them out and back in: the backward pass reads them in place and frees
   * them, so it may run only once per forward pass; a forward pass whose backward never runs frees them when
   * `saved` is garbage collected. Above a cap on bytes kept at once (`setSavedInMemoryCap`) the forward pass
   * copies as without it. Default false; the tfjs ops turn it on.
   */
  savedInMemory?: boolean;
  /**
   * Return only the last output ([batch, units]) as `outputs`, not the whole sequence: a layer without
   * `returnSequences` never reads the others, and the kernel then keeps just two rows of outputs.
   */
  lastOutputOnly?: boolean;
  /**
   * Forward-only calls: compute the input projection of each step right before that step ('perStep'),
   * into one [batch, gates*units] block that stays in cache, instead of for all steps at once ('whole',
   * a [batch, time, gates*units] buffer that large batches push out to main memory). Default 'auto':
   * per step when forward-only and the whole projection exceeds PER_STEP_PROJECTION_FLOATS. Same
   * arithmetic either way (bit-identical results).
   */
  projection?: 'auto' | 'whole' | 'perStep';
}

/** Whole-projection size (floats) above which a forward-only call projects per step (1 MiB). */
export const PER_STEP_PROJECTION_FLOATS = 1 << 18;

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
  /**
   * With `deferInputGradient`: keep dProj in WebAssembly memory (`dProjKept`, under the cap of `savedInMemory`)
   * instead of copying it out; `sequenceInputGradient` reads it in place and frees it, and a caller that does
   * not ask for dx must `release()` it.
   */
  dProjInMemory?: boolean;
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

/** Throws when a backward pass is asked of a forward-only call. */
export function checkSaved(a: Float32Array, d: SequenceDims, kept?: KeptActivations): void {
  if (!kept && a.length === 0 && d.batch > 0) {
    throw new RnnkitError('INVALID_STATE', 'Expected a forward pass that saved its activations. Received: forwardOnly: true');
  }
}

/**
 * dx [B, T, in] = (dProj [B*T, G] @ kernel^T [G, in]) * inputDropoutMask: the input gradient a backward
 * pass with `deferInputGradient` left out, computed when (and only when) it is needed.
 */
export function sequenceInputGradient(dProj: Float32Array | KeptActivations<'dProj'>, kernel: Float32Array, d: SequenceDims,
  G: number, inputDropoutMask?: Float32Array, k: KernelExports = kernels()): Float32Array {
  const BT = d.batch * d.time;
  const ws = workspaceOf(k);
  let kept: KeptActivations<'dProj'> | undefined;
  if (!(dProj instanceof Float32Array) && dProj.ws !== ws) {
    const moved = dProj.read().dProj; // kept in another kernel module's memory
    dProj.release();
    dProj = moved;
  }
  if (dProj instanceof Float32Array) checkLength('dProj', dProj, BT * G, `[${d.batch}, ${d.time}, ${G}]`);
  else kept = dProj;
  checkLength('kernel', kernel, d.inputDim * G, `[${d.inputDim}, ${G}]`);
  ws.reset();
  const pD = kept ? kept.ptr('dProj') : ws.put(dProj as Float32Array);
  const pW = ws.put(kernel);
  const pInM = putOpt(ws, inputDropoutMask);
  const pdX = ws.alloc(BT * d.inputDim);
  const scratch = ws.allocBytes(k.gemmScratchBytes(BT, d.inputDim, G) + 64);
  largeGemm(k, ws, 0, 1, BT, d.inputDim, G, 1, pD, G, pW, G, 0, pdX, d.inputDim, scratch);
  applyInputMask(k, d, pdX, pInM);
  const dx = ws.read(pdX, BT * d.inputDim);
  kept?.release();
  ws.reset();
  return dx;
}

/** The weights every cell has (Keras layout): kernel [in, G], recurrentKernel [u, G], bias [G] (or [2, G]). */
export interface SequenceWeights {
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
}

/** Workspace buffers of a forward pass after `forwardPrologue`. */
export interface ForwardBuffers {
  ws: Workspace;
  pX: number; // [B, T, in] x times the input dropout mask
  pU: number; // recurrentKernel [u, G]
  pBias: number;
  pRecM: number; // 0 when absent
  pMask: number; // 0 when absent
  pH: number; // [B, u] h, from h0 or zeros
  /** Input projection (bias + xd kernel), G wide: all steps, or (per-step projection) one reused block. */
  proj: StepRows;
  /** h before each step times the recurrent dropout mask, u wide (saved for the backward pass). */
  hd: StepRows;
  out: OutputRows;
  scratch: number;
  /** Step t's recurrent input hd of `rows` (copied from h unless it is h itself) and its row stride. */
  recurrentInput(rows: Rows, t: number): [number, number];
  /** Computes step t's input projection of `rows` into `proj` when it is done per step; no-op otherwise. */
  projectStep(rows: Rows, t: number): void;
}

/** Whether a forward pass projects its inputs per step (see SequenceOptions.projection). */
export function projectsPerStep(d: SequenceDims, opts: SequenceOptions, G: number): boolean {
  if (!opts.forwardOnly || opts.projection === 'whole') return false;
  return opts.projection === 'perStep' || d.batch * d.time * G > PER_STEP_PROJECTION_FLOATS;
}

/**
 * Checks the inputs of a forward pass and copies them into the (reset) workspace, then computes the
 * input projection of all steps in one GEMM, or (forward-only, large) prepares it to be computed step
 * by step. G = gates * units; `biasRows` is 2 for a [2, G] bias.
 */
export function forwardPrologue(k: KernelExports, x: Float32Array, w: SequenceWeights, d: SequenceDims,
  opts: SequenceOptions, gates: number, biasRows = 1): ForwardBuffers {
  checkDims(d);
  const { batch: B, time: T, inputDim: I, units: U } = d;
  const G = gates * U;
  checkLength('x', x, B * T * I, `[${B}, ${T}, ${I}]`);
  checkLength('kernel', w.kernel, I * G, `[${I}, ${G}]`);
  checkLength('recurrentKernel', w.recurrentKernel, U * G, `[${U}, ${G}]`);
  checkLength('bias', w.bias, biasRows * G, biasRows === 1 ? `[${G}]` : `[${biasRows}, ${G}]`);
  checkOptions(d, opts);
  const reuse = opts.forwardOnly === true;
  const perStep = projectsPerStep(d, opts, G);
  const ws = workspaceOf(k);
  ws.reset();
  const pX = ws.put(x);
  const pW = ws.put(w.kernel);
  const pU = ws.put(w.recurrentKernel);
  const pBias = ws.put(w.bias);
  const pInM = putOpt(ws, opts.inputDropoutMask);
  const pRecM = putOpt(ws, opts.recurrentDropoutMask);
  const pMask = putOpt(ws, opts.mask);
  const pH = putOrZero(ws, opts.h0, B * U);
  const proj = new StepRows(ws, d, G, perStep);
  const hd = new StepRows(ws, d, U, reuse);
  const out = new OutputRows(ws, d, opts.lastOutputOnly === true);
  const pPackW = perStep ? ws.allocBytes(k.packedBBytes(I, G)) : 0;
  const scratch = ws.allocBytes(seqScratchBytes(k, d, gates));
  applyInputMask(k, d, pX, pInM);
  if (perStep) k.packB(0, I, G, pW, G, pPackW);
  else {
    k.fillRows(B * T, G, proj.base, G, pBias);
    largeGemm(k, ws, 0, 0, B * T, G, I, 1, pX, I, pW, G, 1, proj.base, G, scratch);
  }
  // Forward-only without recurrent dropout: the recurrent products read h itself (no copy).
  const hIsHd = reuse && pRecM === 0;
  return {
    ws, pX, pU, pBias, pRecM, pMask, pH, proj, hd, out, scratch,
    recurrentInput(rows: Rows, t: number): [number, number] {
      if (hIsHd) return [rows.at(pH, U), U];
      const p = rows.at(hd.at(t), hd.stride);
      rows.k.mulRows(rows.n, U, p, hd.stride, rows.at(pH, U), U, rows.at(pRecM, U), U);
      return [p, hd.stride];
    },
    projectStep(rows: Rows, t: number): void {
      if (!perStep) return;
      // the same arithmetic as the whole projection: bias, then + x_t kernel (row stride T * in)
      const p = rows.at(proj.base, G);
      rows.k.fillRows(rows.n, G, p, G, pBias);
      rows.k.gemmPacked(0, rows.n, G, I, 1, rows.at(pX, T * I) + t * I * 4, T * I, pPackW, 1, p, G, rows.scratch);
    },
  };
}

/** What every cell's forward pass saves for its backward pass. */
export interface SequenceSaved {
  dims: SequenceDims;
  opts: SequenceOptions;
  weights: SequenceWeights;
  xd: Float32Array; // [B, T, in]
  hd: Float32Array; // [B, T, u]
  /** The saved buffers, when kept in WebAssembly memory (`savedInMemory`); the arrays are then empty. */
  kept?: KeptActivations;
}

/**
 * `saved` with its activations in `k`'s memory: as it is, or (kept in another kernel module's memory, e.g.
 * threads turned on between the forward and the backward pass) copied out and freed there.
 */
export function savedFor<S extends SequenceSaved>(k: KernelExports, saved: S): S {
  const kept = saved.kept;
  if (!kept || kept.ws === workspaceOf(k)) return saved;
  const arrays = kept.read();
  kept.release();
  const copy = { ...saved, ...arrays };
  delete copy.kept;
  return copy;
}

/** Where saved buffer `name` is in the workspace: in place when kept, else copied in. */
export function savedIn(ws: Workspace, kept: KeptActivations | undefined, name: string, a: Float32Array): number {
  return kept ? kept.ptr(name) : ws.put(a);
}

/** Workspace buffers of a backward pass after `backwardPrologue`. */
export interface BackwardBuffers {
  ws: Workspace;
  pX: number; // saved xd (read only: it may be the forward pass's kept buffer)
  pW: number; // kernel
  pU: number; // recurrentKernel
  pHd: number; // saved hd
  pInM: number; // 0 when absent
  pRecM: number; // 0 when absent
  pMask: number; // 0 when absent
  pDOut: number; // 0 when absent
  gH: number; // [B, u] d loss / d h, from dH or zeros
  gO: number; // [B, u] d loss / d last output, from dLast or zeros
  tmp: number; // [B, u]
  scratch: number;
}

/**
 * Checks the gradients (and that `activations`, a cell's saved buffer, was saved) and copies what every
 * cell's backward pass reads into the (reset) workspace.
 */
export function backwardPrologue(k: KernelExports, saved: SequenceSaved, grads: SequenceGrads, activations: Float32Array,
  gates: number): BackwardBuffers {
  const { dims: d, opts, weights: w } = saved;
  checkGrads(d, grads);
  checkSaved(activations, d, saved.kept);
  const { batch: B, units: U } = d;
  const ws = workspaceOf(k);
  ws.reset();
  const pX = savedIn(ws, saved.kept, 'xd', saved.xd);
  const pW = ws.put(w.kernel);
  const pU = ws.put(w.recurrentKernel);
  const pHd = savedIn(ws, saved.kept, 'hd', saved.hd);
  const pInM = putOpt(ws, opts.inputDropoutMask);
  const pRecM = putOpt(ws, opts.recurrentDropoutMask);
  const pMask = putOpt(ws, opts.mask);
  const pDOut = putOpt(ws, grads.dOutputs);
  const gH = putOrZero(ws, grads.dH, B * U);
  const gO = putOrZero(ws, grads.dLast, B * U);
  const tmp = ws.alloc(B * U);
  const scratch = ws.allocBytes(seqScratchBytes(k, d, gates));
  return { ws, pX, pW, pU, pHd, pInM, pRecM, pMask, pDOut, gH, gO, tmp, scratch };
}

/**
 * gH += (dProj_t U^T) * recurrentDropoutMask for `rows`: the gradient through one step's recurrent product,
 * where `pD` is that step's (whole-batch) rows of dProj [B, T, G] and `pPack` holds U^T packed.
 */
export function addRecurrentGradient(rows: Rows, b: BackwardBuffers, d: SequenceDims, pD: number, G: number,
  pPack: number): void {
  const { time: T, units: U } = d;
  const { k, n } = rows;
  const gH = rows.at(b.gH, U);
  if (b.pRecM === 0) k.gemmPacked(0, n, U, G, 1, rows.at(pD, T * G), T * G, pPack, 1, gH, U, rows.scratch);
  else {
    const tmp = rows.at(b.tmp, U);
    k.gemmPacked(0, n, U, G, 1, rows.at(pD, T * G), T * G, pPack, 0, tmp, U, rows.scratch);
    k.addMulRows(n, U, gH, U, tmp, U, rows.at(b.pRecM, U), U);
  }
}

/** The gradients of a cell's backward pass (LSTM adds dC0). */
export interface SequenceGradients {
  dx: Float32Array;
  /** With `deferInputGradient`: d loss / d input projection [B, T, gates*u] (see `sequenceInputGradient`). */
  dProj?: Float32Array;
  /** dProj kept in WebAssembly memory instead (`dProjInMemory`). */
  dProjKept?: KeptActivations<'dProj'>;
  dKernel: Float32Array;
  dRecurrentKernel: Float32Array;
  dBias: Float32Array;
  dH0: Float32Array;
}

/** The gradients every cell takes from dProj, d loss / d input projection [B, T, G]. */
export type ProjectionGradients = Pick<SequenceGradients, 'dx' | 'dProj' | 'dProjKept' | 'dKernel'>;

/**
 * From dProj [B, T, G] at `pDProj`: its column sums into the first G floats at `pdb` (the input bias
 * gradient), dKernel = xd^T dProj and, unless skipped or deferred, dx = (dProj kernel^T) * inputDropoutMask
 * (with `deferInputGradient`, dProj itself instead).
 */
export function projectionGradients(k: KernelExports, b: BackwardBuffers, d: SequenceDims, grads: SequenceGrads,
  pDProj: number, G: number, pdb: number): ProjectionGradients {
  const { batch: B, time: T, inputDim: I } = d;
  const { ws, scratch } = b;
  const pdW = ws.alloc(I * G);
  const pdX = ws.alloc(B * T * I);
  k.colSum(B * T, G, pDProj, G, pdb, 0);
  largeGemm(k, ws, 1, 0, I, G, B * T, 1, b.pX, I, pDProj, G, 0, pdW, G, scratch);
  const skipDx = grads.skipInputGradient === true || grads.deferInputGradient === true;
  if (!skipDx) {
    largeGemm(k, ws, 0, 1, B * T, I, G, 1, pDProj, G, b.pW, G, 0, pdX, I, scratch);
    applyInputMask(k, d, pdX, b.pInM);
  }
  const out: ProjectionGradients = {
    dx: skipDx ? new Float32Array(0) : ws.read(pdX, B * T * I),
    dKernel: ws.read(pdW, I * G),
  };
  if (grads.deferInputGradient) {
    const { arrays, kept } = saveActivations(ws, false, grads.dProjInMemory, { dProj: [pDProj, B * T * G] });
    if (kept) out.dProjKept = kept;
    else out.dProj = arrays.dProj;
  }
  return out;
}
