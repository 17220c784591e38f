// SimpleRNN (tanh) for one time step: h = tanh(x W + b + hd U); the products come from the GEMM.
import { ld, st, vtanh, oneMinusSq } from './simd';
import { carryOutput, carryOutputGrad, rowOn, takeOutputGrad } from './rows';

/** pre[b] (stride pStride) holds the pre-activation and receives h; h [B, U] state; hSave, out as GRU. */
export function rnnForwardStep(B: i32, U: i32, pre: usize, pStride: i32, h: usize, hSave: usize, hStride: i32,
  out: usize, prevOut: usize, oStride: i32, mask: usize, mStride: i32, zeroOut: i32): void {
  for (let b = 0; b < B; b++) {
    const p = pre + <usize>b * pStride * 4;
    const hb = h + <usize>b * U * 4;
    const hs = hSave + <usize>b * hStride * 4;
    const ob = out + <usize>b * oStride * 4;
    if (!rowOn(mask, b, mStride)) {
      memory.copy(hs, hb, <usize>U * 4);
      const pb: usize = prevOut == 0 ? 0 : prevOut + <usize>b * oStride * 4;
      carryOutput(ob, pb, U, zeroOut);
      continue;
    }
    let j = 0;
    for (; j + 4 <= U; j += 4) fwdCell(p, hb, hs, ob, <usize>j * 4, true);
    for (; j < U; j++) fwdCell(p, hb, hs, ob, <usize>j * 4, false);
  }
}

/** One step of BPTT: dA[b] = (dOut + carried + gH) (1 - h^2); gH cleared on unmasked rows. */
export function rnnBackwardStep(B: i32, U: i32, act: usize, dA: usize, aStride: i32, dOut: usize, dStride: i32, gH: usize,
  gO: usize, mask: usize, mStride: i32, zeroOut: i32): void {
  for (let b = 0; b < B; b++) {
    const a = act + <usize>b * aStride * 4;
    const da = dA + <usize>b * aStride * 4;
    const go = gO + <usize>b * U * 4;
    const gh = gH + <usize>b * U * 4;
    const db: usize = dOut == 0 ? 0 : dOut + <usize>b * dStride * 4;
    if (!rowOn(mask, b, mStride)) {
      carryOutputGrad(go, db, U, zeroOut);
      memory.fill(da, 0, <usize>U * 4);
      continue;
    }
    let j = 0;
    for (; j + 4 <= U; j += 4) bwdCell(a, da, db, gh, go, <usize>j * 4, true);
    for (; j < U; j++) bwdCell(a, da, db, gh, go, <usize>j * 4, false);
  }
}

@inline function fwdCell(p: usize, hb: usize, hs: usize, ob: usize, off: usize, full: bool): void {
  const hn = vtanh(ld(p + off, full));
  st(p + off, hn, full);
  st(hb + off, hn, full);
  st(hs + off, hn, full);
  st(ob + off, hn, full);
}

@inline function bwdCell(a: usize, da: usize, db: usize, gh: usize, go: usize, off: usize, full: bool): void {
  const dh = f32x4.add(takeOutputGrad(go, db, off, full), ld(gh + off, full));
  st(gh + off, f32x4.splat(0), full);
  st(da + off, f32x4.mul(dh, oneMinusSq(ld(a + off, full))), full);
}
