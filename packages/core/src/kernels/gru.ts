// Fused GRU over a whole sequence on Float32Arrays (Keras layout: kernel [in, 3u], recurrentKernel
// [u, 3u], gates z, r, h; sigmoid recurrent activation, tanh activation). resetAfter true (Keras
// default): bias [2, 3u] (input row, recurrent row); resetAfter false: bias [3u].
import { kernels, type KernelExports } from './wasm';
import { largeGemm } from './gemm';
import {
  backwardPrologue, forwardPrologue, projectionGradients, putOrZero, savedFor, savedIn, timeAt,
  type SequenceDims, type SequenceGradients, type SequenceGrads, type SequenceOptions,
} from './sequence';
import { StepRows } from './stepRows';
import { splitRows } from './rowSplit';
import { saveActivations, type KeptActivations } from './savedBlocks';

export interface GruWeights {
  kernel: Float32Array; // [in, 3u]
  recurrentKernel: Float32Array; // [u, 3u]
  bias: Float32Array; // [2, 3u] when resetAfter, else [3u]
  resetAfter: boolean;
}

export interface GruSaved {
  dims: SequenceDims;
  opts: SequenceOptions;
  weights: GruWeights;
  xd: Float32Array; // [B, T, in]
  hd: Float32Array; // [B, T, u] h before each step times the recurrent dropout mask
  xg: Float32Array; // [B, T, 3u] activations z, r, hh
  rec: Float32Array; // [B, T, 3u] resetAfter: h U (h part + b_rh); else its h part holds r * hd
  hs: Float32Array; // [B, T, u] h after each step
  kept?: KeptActivations; // see `savedInMemory`
}

export interface GruForwardResult {
  outputs: Float32Array; // [B, T, u]
  h: Float32Array; // [B, u]
  saved: GruSaved;
}

export type GruGradients = SequenceGradients;

export function gruForward(x: Float32Array, w: GruWeights, d: SequenceDims, opts: SequenceOptions = {},
  k: KernelExports = kernels()): GruForwardResult {
  const f = forwardPrologue(k, x, w, d, opts, 3, w.resetAfter ? 2 : 1);
  const { ws, pX, pU, pBias, pMask, pH, proj, hd, out, scratch } = f;
  const { batch: B, time: T, inputDim: I, units: U } = d;
  const G = 3 * U;
  const reuse = opts.forwardOnly === true;
  const rec = new StepRows(ws, d, G, reuse);
  const hs = new StepRows(ws, d, U, reuse);
  const pPack = ws.allocBytes(k.packedBBytes(U, G));
  const pPackH = ws.allocBytes(k.packedBBytes(U, U));

  if (w.resetAfter) k.packB(0, U, G, pU, G, pPack);
  else {
    k.packB(0, U, 2 * U, pU, G, pPack);
    k.packB(0, U, U, pU + 2 * U * 4, G, pPackH);
  }
  const zero = opts.zeroOutputForMask ? 1 : 0;
  splitRows(k, ws, B, scratch, (rows) => {
    const { k: kr, n } = rows;
    const hState = rows.at(pH, U);
    for (let s = 0; s < T; s++) {
      const t = timeAt(d, opts.goBackwards, s);
      const xg = rows.at(proj.at(t), proj.stride);
      const r = rows.at(rec.at(t), rec.stride);
      const hSave = rows.at(hs.at(t), hs.stride);
      const [o, prev] = [rows.at(out.at(s), out.stride), rows.at(out.prev(s), out.stride)];
      const mask = rows.mask(pMask, t, T);
      f.projectStep(rows, t);
      const [h, hStride] = f.recurrentInput(rows, t);
      if (w.resetAfter) {
        kr.gemmPacked(0, n, G, U, 1, h, hStride, pPack, 0, r, rec.stride, rows.scratch);
        kr.gruForwardStep(n, U, xg, proj.stride, r, rec.stride, pBias + G * 4, hState, hSave, hs.stride, o, prev,
          out.stride, mask, T, zero);
      } else {
        kr.gemmPacked(0, n, 2 * U, U, 1, h, hStride, pPack, 0, r, rec.stride, rows.scratch);
        kr.gruV1ForwardGates(n, U, xg, proj.stride, r, rec.stride, h, hStride);
        kr.gemmPacked(0, n, U, U, 1, r + 2 * U * 4, rec.stride, pPackH, 1, xg + 2 * U * 4, proj.stride, rows.scratch);
        kr.gruV1ForwardOut(n, U, xg, proj.stride, hState, hSave, hs.stride, o, prev, out.stride, mask, T, zero);
      }
    }
  });
  const { arrays, kept } = saveActivations(ws, opts.forwardOnly, opts.savedInMemory, {
    xd: [pX, B * T * I], hd: [hd.base, B * T * U], xg: [proj.base, B * T * G], rec: [rec.base, B * T * G],
    hs: [hs.base, B * T * U],
  });
  const saved: GruSaved = { dims: { ...d }, opts, weights: w, ...arrays, ...(kept ? { kept } : {}) };
  kept?.watch(saved);
  const result: GruForwardResult = { outputs: out.read(ws), h: ws.read(pH, B * U), saved };
  ws.reset();
  return result;
}

export function gruBackward(gruSaved: GruSaved, grads: SequenceGrads, k: KernelExports = kernels()): GruGradients {
  const saved = savedFor(k, gruSaved);
  const { dims: d, opts, weights: w, kept } = saved;
  const b = backwardPrologue(k, saved, grads, saved.xg, 3);
  const { ws, pU, pHd, pRecM, pMask, pDOut, gH, gO, tmp, scratch } = b;
  const { batch: B, time: T, units: U } = d;
  const G = 3 * U;
  const pXG = savedIn(ws, kept, 'xg', saved.xg);
  const pRec = savedIn(ws, kept, 'rec', saved.rec);
  const pHs = savedIn(ws, kept, 'hs', saved.hs);
  const pH0 = putOrZero(ws, opts.h0, B * U);
  const tmp2 = ws.alloc(B * U);
  const pDX = ws.alloc(B * T * G);
  const pDR = w.resetAfter ? ws.alloc(B * T * G) : 0;
  const pdU = ws.alloc(U * G);
  const pdb = ws.alloc(w.resetAfter ? 2 * G : G);
  const pPack = ws.allocBytes(k.packedBBytes(G, U));
  const pPackH = ws.allocBytes(k.packedBBytes(U, U));

  if (w.resetAfter) k.packB(1, G, U, pU, G, pPack); // U^T
  else {
    k.packB(1, 2 * U, U, pU, G, pPack); // U_zr^T
    k.packB(1, U, U, pU + 2 * U * 4, G, pPackH); // U_h^T
  }
  const zero = opts.zeroOutputForMask ? 1 : 0;
  splitRows(k, ws, B, scratch, (rows) => {
    const { k: kr, n } = rows;
    const [XG, DX, DR, Rec, Hs, Hd] = [rows.at(pXG, T * G), rows.at(pDX, T * G), rows.at(pDR, T * G),
      rows.at(pRec, T * G), rows.at(pHs, T * U), rows.at(pHd, T * U)];
    const [DOut, gHr, gOr, tmpR, tmp2R] = [rows.at(pDOut, T * U), rows.at(gH, U), rows.at(gO, U), rows.at(tmp, U),
      rows.at(tmp2, U)];
    for (let s = T - 1; s >= 0; s--) {
      const t = timeAt(d, opts.goBackwards, s);
      const hPrev = s > 0 ? Hs + timeAt(d, opts.goBackwards, s - 1) * U * 4 : rows.at(pH0, U);
      const hpStride = s > 0 ? T * U : U;
      const xg = XG + t * G * 4;
      const dx = DX + t * G * 4;
      const dOut = DOut === 0 ? 0 : DOut + s * U * 4;
      const mask = rows.mask(pMask, t, T);
      if (w.resetAfter) {
        const dr = DR + t * G * 4;
        kr.gruBackwardStep(n, U, xg, dx, T * G, Rec + t * G * 4, dr, T * G, hPrev, hpStride, dOut, T * U, gHr, gOr, mask, T, zero);
        kr.gemmPacked(0, n, U, G, 1, dr, T * G, pPack, 0, tmp2R, U, rows.scratch);
      } else {
        kr.gruV1BackwardA(n, U, xg, dx, T * G, hPrev, hpStride, dOut, T * U, gHr, gOr, mask, T, zero);
        kr.gemmPacked(0, n, U, U, 1, dx + 2 * U * 4, T * G, pPackH, 0, tmpR, U, rows.scratch);
        kr.gruV1BackwardReset(n, U, xg, dx, T * G, Hd + t * U * 4, T * U, tmpR, tmp2R);
        kr.gemmPacked(0, n, U, 2 * U, 1, dx, T * G, pPack, 1, tmp2R, U, rows.scratch);
      }
      kr.addMulRows(n, U, gHr, U, tmp2R, U, rows.at(pRecM, U), U);
    }
  });
  if (w.resetAfter) {
    k.colSum(B * T, G, pDR, G, pdb + G * 4, 0);
    largeGemm(k, ws, 1, 0, U, G, B * T, 1, pHd, U, pDR, G, 0, pdU, G, scratch);
  } else {
    largeGemm(k, ws, 1, 0, U, 2 * U, B * T, 1, pHd, U, pDX, G, 0, pdU, G, scratch);
    largeGemm(k, ws, 1, 0, U, U, B * T, 1, pRec + 2 * U * 4, G, pDX + 2 * U * 4, G, 0, pdU + 2 * U * 4, G, scratch);
  }
  const out: GruGradients = {
    ...projectionGradients(k, b, d, grads, pDX, G, pdb),
    dRecurrentKernel: ws.read(pdU, U * G),
    dBias: ws.read(pdb, w.resetAfter ? 2 * G : G),
    dH0: ws.read(gH, B * U),
  };
  kept?.release();
  ws.reset();
  return out;
}
