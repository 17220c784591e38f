// Test-only float64 reference of Keras's recurrent layers, written straight from the Keras formulas,
// one loop per step, no shared code with the kernels; gradients by central finite differences.
export type RefCell = 'lstm' | 'gru' | 'gruV1' | 'simple';

export interface RefParams {
  kernel: Float64Array; // [in, g*u]
  recurrentKernel: Float64Array; // [u, g*u]
  bias: Float64Array; // lstm [4u], gru [2, 3u], gruV1 [3u], simple [u]
  x: Float64Array; // [B, T, in]
  h0: Float64Array; // [B, u]
  c0: Float64Array; // [B, u]
}

export interface RefOptions {
  B: number; T: number; I: number; U: number;
  mask?: Float64Array; goBackwards?: boolean; zeroOutputForMask?: boolean;
  inMask?: Float64Array; recMask?: Float64Array;
}

export interface RefResult { outputs: Float64Array; h: Float64Array; c: Float64Array }

const sig = (v: number) => 1 / (1 + Math.exp(-v));

export function gatesOf(cell: RefCell): number {
  return cell === 'lstm' ? 4 : cell === 'simple' ? 1 : 3;
}

/** (v [n]) x (M [n, cols]) restricted to columns c0..c0+len. */
function vecMat(v: number[], M: Float64Array, cols: number, c0: number, len: number): number[] {
  const out = new Array<number>(len).fill(0);
  for (let r = 0; r < v.length; r++) for (let j = 0; j < len; j++) out[j]! += v[r]! * M[r * cols + c0 + j]!;
  return out;
}

export function refForward(cell: RefCell, p: RefParams, o: RefOptions): RefResult {
  const { B, T, I, U } = o;
  const G = gatesOf(cell) * U;
  const outputs = new Float64Array(B * T * U);
  const hOut = new Float64Array(B * U);
  const cOut = new Float64Array(B * U);
  for (let b = 0; b < B; b++) {
    let h = Array.from(p.h0.subarray(b * U, b * U + U));
    let c = Array.from(p.c0.subarray(b * U, b * U + U));
    let prev = new Array<number>(U).fill(0);
    for (let s = 0; s < T; s++) {
      const t = o.goBackwards ? T - 1 - s : s;
      const x = Array.from({ length: I }, (_, i) => p.x[(b * T + t) * I + i]! * (o.inMask ? o.inMask[b * I + i]! : 1));
      const hd = h.map((v, j) => v * (o.recMask ? o.recMask[b * U + j]! : 1));
      const xw = vecMat(x, p.kernel, G, 0, G);
      let hn: number[];
      let cn = c;
      if (cell === 'lstm') {
        const hu = vecMat(hd, p.recurrentKernel, G, 0, G);
        const a = xw.map((v, j) => v + hu[j]! + p.bias[j]!);
        hn = [];
        cn = [];
        for (let j = 0; j < U; j++) {
          const i = sig(a[j]!), f = sig(a[U + j]!), g = Math.tanh(a[2 * U + j]!), og = sig(a[3 * U + j]!);
          cn.push(f * c[j]! + i * g);
          hn.push(og * Math.tanh(cn[j]!));
        }
      } else if (cell === 'gru') {
        const hu = vecMat(hd, p.recurrentKernel, G, 0, G);
        hn = [];
        for (let j = 0; j < U; j++) {
          const z = sig(xw[j]! + p.bias[j]! + hu[j]! + p.bias[G + j]!);
          const r = sig(xw[U + j]! + p.bias[U + j]! + hu[U + j]! + p.bias[G + U + j]!);
          const hh = Math.tanh(xw[2 * U + j]! + p.bias[2 * U + j]! + r * (hu[2 * U + j]! + p.bias[G + 2 * U + j]!));
          hn.push(z * h[j]! + (1 - z) * hh);
        }
      } else if (cell === 'gruV1') {
        const hu = vecMat(hd, p.recurrentKernel, G, 0, 2 * U);
        const z = hu.slice(0, U).map((v, j) => sig(xw[j]! + p.bias[j]! + v));
        const r = hu.slice(U).map((v, j) => sig(xw[U + j]! + p.bias[U + j]! + v));
        const rh = vecMat(hd.map((v, j) => v * r[j]!), p.recurrentKernel, G, 2 * U, U);
        hn = z.map((zj, j) => zj * h[j]! + (1 - zj) * Math.tanh(xw[2 * U + j]! + p.bias[2 * U + j]! + rh[j]!));
      } else {
        const hu = vecMat(hd, p.recurrentKernel, G, 0, G);
        hn = hu.map((v, j) => Math.tanh(xw[j]! + v + p.bias[j]!));
      }
      const on = !o.mask || o.mask[b * T + t] !== 0;
      let out: number[];
      if (on) {
        h = hn;
        c = cn;
        out = hn;
      } else {
        out = o.zeroOutputForMask ? new Array<number>(U).fill(0) : prev;
      }
      prev = out;
      for (let j = 0; j < U; j++) outputs[(b * T + s) * U + j] = out[j]!;
    }
    hOut.set(h, b * U);
    cOut.set(c, b * U);
  }
  return { outputs, h: hOut, c: cOut };
}

/** Weights of the linear loss used by the gradient tests. */
export interface RefLossWeights { dOutputs: Float64Array; dLast: Float64Array; dH: Float64Array; dC: Float64Array }

export function refLoss(cell: RefCell, p: RefParams, o: RefOptions, w: RefLossWeights): number {
  const r = refForward(cell, p, o);
  let l = 0;
  for (let i = 0; i < r.outputs.length; i++) l += r.outputs[i]! * w.dOutputs[i]!;
  for (let b = 0; b < o.B; b++) {
    for (let j = 0; j < o.U; j++) l += r.outputs[(b * o.T + o.T - 1) * o.U + j]! * w.dLast[b * o.U + j]!;
  }
  for (let i = 0; i < r.h.length; i++) l += r.h[i]! * w.dH[i]! + (cell === 'lstm' ? r.c[i]! * w.dC[i]! : 0);
  return l;
}

/** Central finite-difference gradient of refLoss with respect to every entry of p[name]. */
export function refGrad(cell: RefCell, p: RefParams, o: RefOptions, w: RefLossWeights, name: keyof RefParams,
  eps = 1e-6): Float64Array {
  const a = p[name];
  const g = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    a[i] = v + eps;
    const lp = refLoss(cell, p, o, w);
    a[i] = v - eps;
    const lm = refLoss(cell, p, o, w);
    a[i] = v;
    g[i] = (lp - lm) / (2 * eps);
  }
  return g;
}
