// LSTM gate math for one time step (Keras layout: gates i, f, c, o; sigmoid / tanh). The matrix
// products (x W + b for all steps, h U per step) are done by the GEMM; these kernels do the rest.
import { ld, st, madd, vsigmoid, vtanh, oneMinusSq, dsig } from './simd';
import { carryOutput, carryOutputGrad, rowOn, takeOutputGrad } from './rows';

/**
 * gates[b] holds the pre-activations x W + b + h U (4U, row stride gStride) and receives the activations;
 * c, h [B, U] are the states (updated); cSave[b] receives c after the step; out[b] the output.
 */
export function lstmForwardStep(B: i32, U: i32, gates: usize, gStride: i32, c: usize, h: usize, cSave: usize,
  cStride: i32, out: usize, prevOut: usize, oStride: i32, mask: usize, mStride: i32, zeroOut: i32): void {
  for (let b = 0; b < B; b++) {
    const g = gates + <usize>b * gStride * 4;
    const cb = c + <usize>b * U * 4;
    const hb = h + <usize>b * U * 4;
    const cs = cSave + <usize>b * cStride * 4;
    const ob = out + <usize>b * oStride * 4;
    if (rowOn(mask, b, mStride)) {
      let j = 0;
      for (; j + 4 <= U; j += 4) fwdCell(g, U, cb, hb, cs, ob, j, true);
      for (; j < U; j++) fwdCell(g, U, cb, hb, cs, ob, j, false);
    } else {
      memory.copy(cs, cb, <usize>U * 4);
      const pb: usize = prevOut == 0 ? 0 : prevOut + <usize>b * oStride * 4;
      carryOutput(ob, pb, U, zeroOut);
    }
  }
}

@inline function fwdCell(g: usize, U: i32, c: usize, h: usize, cs: usize, o: usize, j: i32, full: bool): void {
  const off = <usize>j * 4;
  const u4 = <usize>U * 4;
  const i = vsigmoid(ld(g + off, full));
  const f = vsigmoid(ld(g + u4 + off, full));
  const gg = vtanh(ld(g + 2 * u4 + off, full));
  const og = vsigmoid(ld(g + 3 * u4 + off, full));
  st(g + off, i, full);
  st(g + u4 + off, f, full);
  st(g + 2 * u4 + off, gg, full);
  st(g + 3 * u4 + off, og, full);
  const cn = madd(f, ld(c + off, full), f32x4.mul(i, gg));
  st(c + off, cn, full);
  st(cs + off, cn, full);
  const hn = f32x4.mul(og, vtanh(cn));
  st(h + off, hn, full);
  st(o + off, hn, full);
}

/**
 * One step of BPTT. gates: saved activations; dG (same layout) receives the pre-activation gradients
 * (zero on masked rows); cNew / cPrev: c after / before the step; gH, gC, gO [B, U]: carried gradients of
 * h, c and of the previous output. On unmasked rows gH is cleared (the caller adds dG U^T) and gC
 * becomes the gradient of the previous c.
 */
export function lstmBackwardStep(B: i32, U: i32, gates: usize, dG: usize, gStride: i32, cNew: usize, cStride: i32,
  cPrev: usize, cpStride: i32, dOut: usize, dStride: i32, gH: usize, gC: usize, gO: usize, mask: usize, mStride: i32,
  zeroOut: i32): void {
  for (let b = 0; b < B; b++) {
    const g = gates + <usize>b * gStride * 4;
    const dg = dG + <usize>b * gStride * 4;
    const go = gO + <usize>b * U * 4;
    const db: usize = dOut == 0 ? 0 : dOut + <usize>b * dStride * 4;
    if (rowOn(mask, b, mStride)) {
      const cn = cNew + <usize>b * cStride * 4;
      const cp = cPrev + <usize>b * cpStride * 4;
      const gh = gH + <usize>b * U * 4;
      const gc = gC + <usize>b * U * 4;
      let j = 0;
      for (; j + 4 <= U; j += 4) bwdCell(g, dg, U, cn, cp, db, gh, gc, go, j, true);
      for (; j < U; j++) bwdCell(g, dg, U, cn, cp, db, gh, gc, go, j, false);
    } else {
      carryOutputGrad(go, db, U, zeroOut);
      memory.fill(dg, 0, <usize>U * 16);
    }
  }
}

@inline function bwdCell(g: usize, dg: usize, U: i32, cn: usize, cp: usize, dOut: usize, gh: usize, gc: usize,
  go: usize, j: i32, full: bool): void {
  const off = <usize>j * 4;
  const u4 = <usize>U * 4;
  const dh = f32x4.add(takeOutputGrad(go, dOut, off, full), ld(gh + off, full));
  st(gh + off, f32x4.splat(0), full);
  const i = ld(g + off, full);
  const f = ld(g + u4 + off, full);
  const gg = ld(g + 2 * u4 + off, full);
  const og = ld(g + 3 * u4 + off, full);
  const tc = vtanh(ld(cn + off, full));
  const dc = madd(f32x4.mul(dh, og), oneMinusSq(tc), ld(gc + off, full));
  st(gc + off, f32x4.mul(dc, f), full);
  st(dg + off, f32x4.mul(f32x4.mul(dc, gg), dsig(i)), full);
  st(dg + u4 + off, f32x4.mul(f32x4.mul(dc, ld(cp + off, full)), dsig(f)), full);
  st(dg + 2 * u4 + off, f32x4.mul(f32x4.mul(dc, i), oneMinusSq(gg)), full);
  st(dg + 3 * u4 + off, f32x4.mul(f32x4.mul(dh, tc), dsig(og)), full);
}
