// Fused SimpleRNN (tanh) over a whole sequence on Float32Arrays: kernel [in, u], recurrentKernel [u, u],
// bias [u]; h = tanh(x W + b + hd U).
import { kernels, type KernelExports } from './wasm';
import { largeGemm } from './gemm';
import {
  addRecurrentGradient, backwardPrologue, forwardPrologue, projectionGradients, savedFor, savedIn, timeAt,
  type SequenceDims, type SequenceGradients, type SequenceGrads, type SequenceOptions,
} from './sequence';
import { StepRows } from './stepRows';
import { splitRows } from './rowSplit';
import { saveActivations, type KeptActivations } from './savedBlocks';

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
  kept?: KeptActivations; // see `savedInMemory`
}

export interface SimpleRnnForwardResult {
  outputs: Float32Array;
  h: Float32Array;
  saved: SimpleRnnSaved;
}

export type SimpleRnnGradients = SequenceGradients;

export function simpleRnnForward(x: Float32Array, w: SimpleRnnWeights, d: SequenceDims, opts: SequenceOptions = {},
  k: KernelExports = kernels()): SimpleRnnForwardResult {
  const f = forwardPrologue(k, x, w, d, opts, 1);
  const { ws, pX, pU, pMask, pH, proj, hd, out, scratch } = f;
  const { batch: B, time: T, inputDim: I, units: U } = d;
  const hs = new StepRows(ws, d, U, opts.forwardOnly === true);
  const pPack = ws.allocBytes(k.packedBBytes(U, U));

  k.packB(0, U, U, pU, U, pPack);
  const zero = opts.zeroOutputForMask ? 1 : 0;
  splitRows(k, ws, B, scratch, (r) => {
    const hState = r.at(pH, U);
    for (let s = 0; s < T; s++) {
      const t = timeAt(d, opts.goBackwards, s);
      const a = r.at(proj.at(t), proj.stride);
      f.projectStep(r, t);
      const [h, hStride] = f.recurrentInput(r, t);
      r.k.gemmPacked(0, r.n, U, U, 1, h, hStride, pPack, 1, a, proj.stride, r.scratch);
      r.k.rnnForwardStep(r.n, U, a, proj.stride, hState, r.at(hs.at(t), hs.stride), hs.stride, r.at(out.at(s), out.stride),
        r.at(out.prev(s), out.stride), out.stride, r.mask(pMask, t, T), T, zero);
    }
  });
  const { arrays, kept } = saveActivations(ws, opts.forwardOnly, opts.savedInMemory, {
    xd: [pX, B * T * I], hd: [hd.base, B * T * U], act: [proj.base, B * T * U],
  });
  const saved: SimpleRnnSaved = { dims: { ...d }, opts, weights: w, ...arrays, ...(kept ? { kept } : {}) };
  kept?.watch(saved);
  const result: SimpleRnnForwardResult = { outputs: out.read(ws), h: ws.read(pH, B * U), saved };
  ws.reset();
  return result;
}

export function simpleRnnBackward(rnnSaved: SimpleRnnSaved, grads: SequenceGrads, k: KernelExports = kernels()): SimpleRnnGradients {
  const saved = savedFor(k, rnnSaved);
  const { dims: d, opts, kept } = saved;
  const b = backwardPrologue(k, saved, grads, saved.act, 1);
  const { ws, pU, pHd, pMask, pDOut, gH, gO } = b;
  const { batch: B, time: T, units: U } = d;
  const pA = savedIn(ws, kept, 'act', saved.act);
  const pDA = ws.alloc(B * T * U);
  const pdU = ws.alloc(U * U);
  const pdb = ws.alloc(U);
  const pPack = ws.allocBytes(k.packedBBytes(U, U));

  k.packB(1, U, U, pU, U, pPack); // U^T
  const zero = opts.zeroOutputForMask ? 1 : 0;
  splitRows(k, ws, B, b.scratch, (r) => {
    const [A, DOut] = [r.at(pA, T * U), r.at(pDOut, T * U)];
    for (let s = T - 1; s >= 0; s--) {
      const t = timeAt(d, opts.goBackwards, s);
      const da = pDA + t * U * 4;
      r.k.rnnBackwardStep(r.n, U, A + t * U * 4, r.at(da, T * U), T * U, DOut === 0 ? 0 : DOut + s * U * 4, T * U,
        r.at(gH, U), r.at(gO, U), r.mask(pMask, t, T), T, zero);
      addRecurrentGradient(r, b, d, da, U, pPack);
    }
  });
  largeGemm(k, ws, 1, 0, U, U, B * T, 1, pHd, U, pDA, U, 0, pdU, U, b.scratch);
  const out: SimpleRnnGradients = {
    ...projectionGradients(k, b, d, grads, pDA, U, pdb),
    dRecurrentKernel: ws.read(pdU, U * U), dBias: ws.read(pdb, U), dH0: ws.read(gH, B * U),
  };
  kept?.release();
  ws.reset();
  return out;
}
