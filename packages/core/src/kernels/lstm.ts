// Fused LSTM over a whole sequence on Float32Arrays (Keras layout: kernel [in, 4u], recurrentKernel
// [u, 4u], bias [4u], gates i, f, c, o; sigmoid recurrent activation, tanh activation).
// Forward: one GEMM for the input projection of all steps, then per step h U (GEMM, U packed once) and
// the gate math in WebAssembly. Backward (BPTT): gate gradients per step in WebAssembly, dh via one GEMM
// per step, then the weight and input gradients as three large GEMMs over all steps.
import { kernels, type KernelExports } from './wasm';
import { largeGemm } from './gemm';
import {
  addRecurrentGradient, backwardPrologue, forwardPrologue, projectionGradients, putOrZero, savedFor, savedIn, timeAt,
  type SequenceDims, type SequenceGradients, type SequenceGrads, type SequenceOptions,
} from './sequence';
import { StepRows } from './stepRows';
import { splitRows } from './rowSplit';
import { saveActivations, type KeptActivations } from './savedBlocks';

export interface LstmWeights {
  kernel: Float32Array; // [in, 4u]
  recurrentKernel: Float32Array; // [u, 4u]
  bias: Float32Array; // [4u]
}

/** What the backward pass needs: copied out of WebAssembly memory, or kept there (`kept`, see `savedInMemory`). */
export interface LstmSaved {
  dims: SequenceDims;
  opts: SequenceOptions;
  weights: LstmWeights;
  xd: Float32Array; // [B, T, in] x times the input dropout mask
  hd: Float32Array; // [B, T, u] h before each step times the recurrent dropout mask (indexed by input time)
  gates: Float32Array; // [B, T, 4u] activations
  cs: Float32Array; // [B, T, u] c after each step
  kept?: KeptActivations;
}

export interface LstmForwardResult {
  outputs: Float32Array; // [B, T, u] in processing order ([B, u], the last, with lastOutputOnly)
  h: Float32Array; // [B, u]
  c: Float32Array; // [B, u]
  saved: LstmSaved;
}

export interface LstmGradients extends SequenceGradients {
  dC0: Float32Array;
}

export function lstmForward(x: Float32Array, w: LstmWeights, d: SequenceDims, opts: SequenceOptions = {},
  k: KernelExports = kernels()): LstmForwardResult {
  const f = forwardPrologue(k, x, w, d, opts, 4);
  const { ws, pX, pU, pMask, pH, proj, hd, out, scratch } = f;
  const { batch: B, time: T, inputDim: I, units: U } = d;
  const G = 4 * U;
  const pC = putOrZero(ws, opts.c0, B * U);
  const cs = new StepRows(ws, d, U, opts.forwardOnly === true);
  const pPack = ws.allocBytes(k.packedBBytes(U, G));

  k.packB(0, U, G, pU, G, pPack);
  const zero = opts.zeroOutputForMask ? 1 : 0;
  splitRows(k, ws, B, scratch, (r) => {
    const [c, hState] = [r.at(pC, U), r.at(pH, U)];
    for (let s = 0; s < T; s++) {
      const t = timeAt(d, opts.goBackwards, s);
      const g = r.at(proj.at(t), proj.stride);
      f.projectStep(r, t);
      const [h, hStride] = f.recurrentInput(r, t);
      r.k.gemmPacked(0, r.n, G, U, 1, h, hStride, pPack, 1, g, proj.stride, r.scratch);
      r.k.lstmForwardStep(r.n, U, g, proj.stride, c, hState, r.at(cs.at(t), cs.stride), cs.stride, r.at(out.at(s), out.stride),
        r.at(out.prev(s), out.stride), out.stride, r.mask(pMask, t, T), T, zero);
    }
  });
  const { arrays, kept } = saveActivations(ws, opts.forwardOnly, opts.savedInMemory, {
    xd: [pX, B * T * I], hd: [hd.base, B * T * U], gates: [proj.base, B * T * G], cs: [cs.base, B * T * U],
  });
  const saved: LstmSaved = { dims: { ...d }, opts, weights: w, ...arrays, ...(kept ? { kept } : {}) };
  kept?.watch(saved);
  const result: LstmForwardResult = { outputs: out.read(ws), h: ws.read(pH, B * U), c: ws.read(pC, B * U), saved };
  ws.reset();
  return result;
}

export function lstmBackward(lstmSaved: LstmSaved, grads: SequenceGrads, k: KernelExports = kernels()): LstmGradients {
  const saved = savedFor(k, lstmSaved);
  const { dims: d, opts, kept } = saved;
  const b = backwardPrologue(k, saved, grads, saved.gates, 4);
  const { ws, pU, pHd, pMask, pDOut, gH, gO } = b;
  const { batch: B, time: T, units: U } = d;
  const G = 4 * U;
  const pG = savedIn(ws, kept, 'gates', saved.gates);
  const pCs = savedIn(ws, kept, 'cs', saved.cs);
  const pC0 = putOrZero(ws, opts.c0, B * U);
  const gC = putOrZero(ws, grads.dC, B * U);
  const pDG = ws.alloc(B * T * G);
  const pdU = ws.alloc(U * G);
  const pdb = ws.alloc(G);
  const pPack = ws.allocBytes(k.packedBBytes(G, U));

  k.packB(1, G, U, pU, G, pPack); // U^T
  const zero = opts.zeroOutputForMask ? 1 : 0;
  splitRows(k, ws, B, b.scratch, (r) => {
    const [G0, Cs, DOut] = [r.at(pG, T * G), r.at(pCs, T * U), r.at(pDOut, T * U)];
    for (let s = T - 1; s >= 0; s--) {
      const t = timeAt(d, opts.goBackwards, s);
      const cPrev = s > 0 ? Cs + timeAt(d, opts.goBackwards, s - 1) * U * 4 : r.at(pC0, U);
      const dg = pDG + t * G * 4;
      r.k.lstmBackwardStep(r.n, U, G0 + t * G * 4, r.at(dg, T * G), T * G, Cs + t * U * 4, T * U, cPrev, s > 0 ? T * U : U,
        DOut === 0 ? 0 : DOut + s * U * 4, T * U, r.at(gH, U), r.at(gC, U), r.at(gO, U), r.mask(pMask, t, T), T, zero);
      addRecurrentGradient(r, b, d, dg, G, pPack);
    }
  });
  largeGemm(k, ws, 1, 0, U, G, B * T, 1, pHd, U, pDG, G, 0, pdU, G, b.scratch);
  const out: LstmGradients = {
    ...projectionGradients(k, b, d, grads, pDG, G, pdb),
    dRecurrentKernel: ws.read(pdU, U * G),
    dBias: ws.read(pdb, G),
    dH0: ws.read(gH, B * U),
    dC0: ws.read(gC, B * U),
  };
  kept?.release();
  ws.reset();
  return out;
}
