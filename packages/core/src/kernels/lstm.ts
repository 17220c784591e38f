// Fused LSTM over a whole sequence on Float32Arrays (Keras layout: kernel [in, 4u], recurrentKernel
// [u, 4u], bias [4u], gates i, f, c, o; sigmoid recurrent activation, tanh activation).
// Forward: one GEMM for the input projection of all steps, then per step h U (GEMM, U packed once) and
// the gate math in WebAssembly. Backward (BPTT): gate gradients per step in WebAssembly, dh via one GEMM
// per step, then the weight and input gradients as three large GEMMs over all steps.
import { kernels, type KernelExports } from './wasm';
import { largeGemm, workspaceOf } from './gemm';
import {
  applyInputMask, checkDims, checkGrads, checkLength, checkOptions, checkSaved, putOpt, putOrZero, readSaved,
  seqScratchBytes, timeAt,
  type SequenceDims, type SequenceGrads, type SequenceOptions,
} from './sequence';

export interface LstmWeights {
  kernel: Float32Array; // [in, 4u]
  recurrentKernel: Float32Array; // [u, 4u]
  bias: Float32Array; // [4u]
}

/** What the backward pass needs, copied out of WebAssembly memory. */
export interface LstmSaved {
  dims: SequenceDims;
  opts: SequenceOptions;
  weights: LstmWeights;
  xd: Float32Array; // [B, T, in] x times the input dropout mask
  hd: Float32Array; // [B, T, u] h before each step times the recurrent dropout mask (indexed by input time)
  gates: Float32Array; // [B, T, 4u] activations
  cs: Float32Array; // [B, T, u] c after each step
}

export interface LstmForwardResult {
  outputs: Float32Array; // [B, T, u] in processing order
  h: Float32Array; // [B, u]
  c: Float32Array; // [B, u]
  saved: LstmSaved;
}

export interface LstmGradients {
  dx: Float32Array;
  /** With `deferInputGradient`: d loss / d input projection [B, T, gates*u] (see `sequenceInputGradient`). */
  dProj?: Float32Array;
  dKernel: Float32Array;
  dRecurrentKernel: Float32Array;
  dBias: Float32Array;
  dH0: Float32Array;
  dC0: Float32Array;
}

function checkWeights(d: SequenceDims, w: LstmWeights): void {
  const g = 4 * d.units;
  checkLength('kernel', w.kernel, d.inputDim * g, `[${d.inputDim}, ${g}]`);
  checkLength('recurrentKernel', w.recurrentKernel, d.units * g, `[${d.units}, ${g}]`);
  checkLength('bias', w.bias, g, `[${g}]`);
}

export function lstmForward(x: Float32Array, w: LstmWeights, d: SequenceDims, opts: SequenceOptions = {},
  k: KernelExports = kernels()): LstmForwardResult {
  checkDims(d);
  checkLength('x', x, d.batch * d.time * d.inputDim, `[${d.batch}, ${d.time}, ${d.inputDim}]`);
  checkWeights(d, w);
  checkOptions(d, opts);
  const { batch: B, time: T, inputDim: I, units: U } = d;
  const G = 4 * U;
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
  const pC = putOrZero(ws, opts.c0, B * U);
  const pG = ws.alloc(B * T * G);
  const pHd = ws.alloc(B * T * U);
  const pCs = ws.alloc(B * T * U);
  const pOut = ws.alloc(B * T * U);
  const pPack = ws.allocBytes(k.packedBBytes(U, G));
  const scratch = ws.allocBytes(seqScratchBytes(k, d, 4));

  applyInputMask(k, d, pX, pInM);
  k.fillRows(B * T, G, pG, G, pBias);
  largeGemm(k, ws, 0, 0, B * T, G, I, 1, pX, I, pW, G, 1, pG, G, scratch);
  k.packB(0, U, G, pU, G, pPack);
  const zero = opts.zeroOutputForMask ? 1 : 0;
  for (let s = 0; s < T; s++) {
    const t = timeAt(d, opts.goBackwards, s);
    const hd = pHd + t * U * 4;
    const g = pG + t * G * 4;
    k.mulRows(B, U, hd, T * U, pH, U, pRecM, U);
    k.gemmPacked(0, B, G, U, 1, hd, T * U, pPack, 1, g, T * G, scratch);
    k.lstmForwardStep(B, U, g, T * G, pC, pH, pCs + t * U * 4, T * U, pOut + s * U * 4,
      s > 0 ? pOut + (s - 1) * U * 4 : 0, T * U, pMask === 0 ? 0 : pMask + t * 4, T, zero);
  }
  const result: LstmForwardResult = {
    outputs: ws.read(pOut, B * T * U),
    h: ws.read(pH, B * U),
    c: ws.read(pC, B * U),
    saved: {
      dims: { ...d }, opts, weights: w,
      xd: readSaved(ws, opts, pX, B * T * I),
      hd: readSaved(ws, opts, pHd, B * T * U),
      gates: readSaved(ws, opts, pG, B * T * G),
      cs: readSaved(ws, opts, pCs, B * T * U),
    },
  };
  ws.reset();
  return result;
}

export function lstmBackward(saved: LstmSaved, grads: SequenceGrads, k: KernelExports = kernels()): LstmGradients {
  const { dims: d, opts, weights: w } = saved;
  checkGrads(d, grads);
  checkSaved(saved.gates, d);
  const { batch: B, time: T, inputDim: I, units: U } = d;
  const G = 4 * U;
  const ws = workspaceOf(k);
  ws.reset();
  const pX = ws.put(saved.xd);
  const pW = ws.put(w.kernel);
  const pU = ws.put(w.recurrentKernel);
  const pG = ws.put(saved.gates);
  const pHd = ws.put(saved.hd);
  const pCs = ws.put(saved.cs);
  const pC0 = putOrZero(ws, opts.c0, B * U);
  const pInM = putOpt(ws, opts.inputDropoutMask);
  const pRecM = putOpt(ws, opts.recurrentDropoutMask);
  const pMask = putOpt(ws, opts.mask);
  const pDOut = putOpt(ws, grads.dOutputs);
  const gH = putOrZero(ws, grads.dH, B * U);
  const gC = putOrZero(ws, grads.dC, B * U);
  const gO = putOrZero(ws, grads.dLast, B * U);
  const tmp = ws.alloc(B * U);
  const pDG = ws.alloc(B * T * G);
  const pdW = ws.alloc(I * G);
  const pdU = ws.alloc(U * G);
  const pdb = ws.alloc(G);
  const pdX = ws.alloc(B * T * I);
  const pPack = ws.allocBytes(k.packedBBytes(G, U));
  const scratch = ws.allocBytes(seqScratchBytes(k, d, 4));

  k.packB(1, G, U, pU, G, pPack); // U^T
  const zero = opts.zeroOutputForMask ? 1 : 0;
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(d, opts.goBackwards, s);
    const cPrev = s > 0 ? pCs + timeAt(d, opts.goBackwards, s - 1) * U * 4 : pC0;
    const dg = pDG + t * G * 4;
    k.lstmBackwardStep(B, U, pG + t * G * 4, dg, T * G, pCs + t * U * 4, T * U, cPrev, s > 0 ? T * U : U,
      pDOut === 0 ? 0 : pDOut + s * U * 4, T * U, gH, gC, gO, pMask === 0 ? 0 : pMask + t * 4, T, zero);
    if (pRecM === 0) {
      k.gemmPacked(0, B, U, G, 1, dg, T * G, pPack, 1, gH, U, scratch);
    } else {
      k.gemmPacked(0, B, U, G, 1, dg, T * G, pPack, 0, tmp, U, scratch);
      k.addMulRows(B, U, gH, U, tmp, U, pRecM, U);
    }
  }
  k.colSum(B * T, G, pDG, G, pdb, 0);
  largeGemm(k, ws, 1, 0, I, G, B * T, 1, pX, I, pDG, G, 0, pdW, G, scratch);
  largeGemm(k, ws, 1, 0, U, G, B * T, 1, pHd, U, pDG, G, 0, pdU, G, scratch);
  const skipDx = grads.skipInputGradient === true || grads.deferInputGradient === true;
  if (!skipDx) {
    largeGemm(k, ws, 0, 1, B * T, I, G, 1, pDG, G, pW, G, 0, pdX, I, scratch);
    applyInputMask(k, d, pdX, pInM);
  }
  const out: LstmGradients = {
    dx: skipDx ? new Float32Array(0) : ws.read(pdX, B * T * I),
    dKernel: ws.read(pdW, I * G),
    dRecurrentKernel: ws.read(pdU, U * G),
    dBias: ws.read(pdb, G),
    dH0: ws.read(gH, B * U),
    dC0: ws.read(gC, B * U),
  };
  if (grads.deferInputGradient) out.dProj = ws.read(pDG, B * T * G);
  ws.reset();
  return out;
}
