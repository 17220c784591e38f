// Fused SimpleRNN (tanh) over a whole sequence on Float32Arrays: kernel [in, u], recurrentKernel [u, u],
// bias [u]; h = tanh(x W + b + hd U).
import { kernels, type KernelExports } from './wasm';
import { largeGemm, workspaceOf } from './gemm';
import {
  applyInputMask, checkDims, checkGrads, checkLength, checkOptions, checkSaved, putOpt, putOrZero, readSaved,
  seqScratchBytes, timeAt,
  type SequenceDims, type SequenceGrads, type SequenceOptions,
} from './sequence';

export interface SimpleRnnWeights {
  kernel: Float32Array; // [in, u]
  recurrentKernel: Float32Array; // [u, u]
  bias: Float32Array; // [u]
}

export interface SimpleRnnSaved {
  dims: SequenceDims;
  opts: SequenceOptions;
  weights: SimpleRnnWeights;
  xd: Float32Array; // [B, T, in]
  hd: Float32Array; // [B, T, u]
  act: Float32Array; // [B, T, u] tanh outputs
}

export interface SimpleRnnForwardResult {
  outputs: Float32Array;
  h: Float32Array;
  saved: SimpleRnnSaved;
}

export interface SimpleRnnGradients {
  dx: Float32Array;
  /** With `deferInputGradient`: d loss / d input projection [B, T, gates*u] (see `sequenceInputGradient`). */
  dProj?: Float32Array;
  dKernel: Float32Array;
  dRecurrentKernel: Float32Array;
  dBias: Float32Array;
  dH0: Float32Array;
}

export function simpleRnnForward(x: Float32Array, w: SimpleRnnWeights, d: SequenceDims, opts: SequenceOptions = {},
  k: KernelExports = kernels()): SimpleRnnForwardResult {
  checkDims(d);
  const { batch: B, time: T, inputDim: I, units: U } = d;
  checkLength('x', x, B * T * I, `[${B}, ${T}, ${I}]`);
  checkLength('kernel', w.kernel, I * U, `[${I}, ${U}]`);
  checkLength('recurrentKernel', w.recurrentKernel, U * U, `[${U}, ${U}]`);
  checkLength('bias', w.bias, U, `[${U}]`);
  checkOptions(d, opts);
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
  const pA = ws.alloc(B * T * U);
  const pHd = ws.alloc(B * T * U);
  const pHs = ws.alloc(B * T * U);
  const pOut = ws.alloc(B * T * U);
  const pPack = ws.allocBytes(k.packedBBytes(U, U));
  const scratch = ws.allocBytes(seqScratchBytes(k, d, 1));

  applyInputMask(k, d, pX, pInM);
  k.fillRows(B * T, U, pA, U, pBias);
  largeGemm(k, ws, 0, 0, B * T, U, I, 1, pX, I, pW, U, 1, pA, U, scratch);
  k.packB(0, U, U, pU, U, pPack);
  const zero = opts.zeroOutputForMask ? 1 : 0;
  for (let s = 0; s < T; s++) {
    const t = timeAt(d, opts.goBackwards, s);
    const hd = pHd + t * U * 4;
    const a = pA + t * U * 4;
    k.mulRows(B, U, hd, T * U, pH, U, pRecM, U);
    k.gemmPacked(0, B, U, U, 1, hd, T * U, pPack, 1, a, T * U, scratch);
    k.rnnForwardStep(B, U, a, T * U, pH, pHs + t * U * 4, T * U, pOut + s * U * 4, s > 0 ? pOut + (s - 1) * U * 4 : 0, T * U,
      pMask === 0 ? 0 : pMask + t * 4, T, zero);
  }
  const result: SimpleRnnForwardResult = {
    outputs: ws.read(pOut, B * T * U),
    h: ws.read(pH, B * U),
    saved: {
      dims: { ...d }, opts, weights: w, xd: readSaved(ws, opts, pX, B * T * I), hd: readSaved(ws, opts, pHd, B * T * U),
      act: readSaved(ws, opts, pA, B * T * U),
    },
  };
  ws.reset();
  return result;
}

export function simpleRnnBackward(saved: SimpleRnnSaved, grads: SequenceGrads, k: KernelExports = kernels()): SimpleRnnGradients {
  const { dims: d, opts, weights: w } = saved;
  checkGrads(d, grads);
  checkSaved(saved.act, d);
  const { batch: B, time: T, inputDim: I, units: U } = d;
  const ws = workspaceOf(k);
  ws.reset();
  const pX = ws.put(saved.xd);
  const pW = ws.put(w.kernel);
  const pU = ws.put(w.recurrentKernel);
  const pA = ws.put(saved.act);
  const pHd = ws.put(saved.hd);
  const pInM = putOpt(ws, opts.inputDropoutMask);
  const pRecM = putOpt(ws, opts.recurrentDropoutMask);
  const pMask = putOpt(ws, opts.mask);
  const pDOut = putOpt(ws, grads.dOutputs);
  const gH = putOrZero(ws, grads.dH, B * U);
  const gO = putOrZero(ws, grads.dLast, B * U);
  const tmp = ws.alloc(B * U);
  const pDA = ws.alloc(B * T * U);
  const pdW = ws.alloc(I * U);
  const pdU = ws.alloc(U * U);
  const pdb = ws.alloc(U);
  const pdX = ws.alloc(B * T * I);
  const pPack = ws.allocBytes(k.packedBBytes(U, U));
  const scratch = ws.allocBytes(seqScratchBytes(k, d, 1));

  k.packB(1, U, U, pU, U, pPack); // U^T
  const zero = opts.zeroOutputForMask ? 1 : 0;
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(d, opts.goBackwards, s);
    const da = pDA + t * U * 4;
    k.rnnBackwardStep(B, U, pA + t * U * 4, da, T * U, pDOut === 0 ? 0 : pDOut + s * U * 4, T * U, gH, gO,
      pMask === 0 ? 0 : pMask + t * 4, T, zero);
    if (pRecM === 0) k.gemmPacked(0, B, U, U, 1, da, T * U, pPack, 1, gH, U, scratch);
    else {
      k.gemmPacked(0, B, U, U, 1, da, T * U, pPack, 0, tmp, U, scratch);
      k.addMulRows(B, U, gH, U, tmp, U, pRecM, U);
    }
  }
  k.colSum(B * T, U, pDA, U, pdb, 0);
  largeGemm(k, ws, 1, 0, I, U, B * T, 1, pX, I, pDA, U, 0, pdW, U, scratch);
  largeGemm(k, ws, 1, 0, U, U, B * T, 1, pHd, U, pDA, U, 0, pdU, U, scratch);
  const skipDx = grads.skipInputGradient === true || grads.deferInputGradient === true;
  if (!skipDx) {
    largeGemm(k, ws, 0, 1, B * T, I, U, 1, pDA, U, pW, U, 0, pdX, I, scratch);
    applyInputMask(k, d, pdX, pInM);
  }
  const out: SimpleRnnGradients = {
    dx: skipDx ? new Float32Array(0) : ws.read(pdX, B * T * I), dKernel: ws.read(pdW, I * U), dRecurrentKernel: ws.read(pdU, U * U),
    dBias: ws.read(pdb, U), dH0: ws.read(gH, B * U),
  };
  if (grads.deferInputGradient) out.dProj = ws.read(pDA, B * T * U);
  ws.reset();
  return out;
}
