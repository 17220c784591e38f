// GRU gate math for one time step (Keras layout: gates z, r, h; sigmoid / tanh).
// resetAfter = true (Keras 2/3 default): hh = tanh(x_h + r * (h U_h + b_rh)), bias [2, 3u].
// resetAfter = false: hh = tanh(x_h + (r * h) U_h), bias [3u]; needs a second product per step, so its
// step is split in two kernels around that GEMM.
import { ld, st, madd, vsigmoid, vtanh, oneMinusSq, dsig } from './simd';
import { carryOutput, carryOutputGrad, rowOn, takeOutputGrad } from './rows';

/** h = hh + z (hPrev - hh), written to h, hSave and out. */
@inline function blend(z: v128, hh: v128, h: usize, hs: usize, o: usize, off: usize, full: bool): void {
  const hn = madd(z, f32x4.sub(ld(h + off, full), hh), hh);
  st(h + off, hn, full);
  st(hs + off, hn, full);
  st(o + off, hn, full);
}

/** Masked row: states carried, output repeated (or zero). */
@inline function carryRow(h: usize, hs: usize, o: usize, prev: usize, U: i32, zeroOut: i32): void {
  memory.copy(hs, h, <usize>U * 4);
  carryOutput(o, prev, U, zeroOut);
}

/**
 * resetAfter = true. xg[b]: x W + b_in (3u, stride xStride), receives z, r, hh; rec[b]: h U (3u, stride
 * rStride), its h part receives h U_h + b_rh; bRec: recurrent bias [3u] (0 = none).
 */
export function gruForwardStep(B: i32, U: i32, xg: usize, xStride: i32, rec: usize, rStride: i32, bRec: usize, h: usize,
  hSave: usize, hStride: i32, out: usize, prevOut: usize, oStride: i32, mask: usize, mStride: i32, zeroOut: i32): void {
  for (let b = 0; b < B; b++) {
    const x = xg + <usize>b * xStride * 4;
    const r = rec + <usize>b * rStride * 4;
    const hb = h + <usize>b * U * 4;
    const hs = hSave + <usize>b * hStride * 4;
    const ob = out + <usize>b * oStride * 4;
    if (rowOn(mask, b, mStride)) {
      let j = 0;
      for (; j + 4 <= U; j += 4) fwdCell(x, r, bRec, U, hb, hs, ob, j, true);
      for (; j < U; j++) fwdCell(x, r, bRec, U, hb, hs, ob, j, false);
    } else {
      const pb: usize = prevOut == 0 ? 0 : prevOut + <usize>b * oStride * 4;
      carryRow(hb, hs, ob, pb, U, zeroOut);
    }
  }
}

@inline function fwdCell(x: usize, r: usize, bRec: usize, U: i32, h: usize, hs: usize, o: usize, j: i32, full: bool): void {
  const off = <usize>j * 4;
  const u4 = <usize>U * 4;
  let az = f32x4.add(ld(x + off, full), ld(r + off, full));
  let ar = f32x4.add(ld(x + u4 + off, full), ld(r + u4 + off, full));
  let rh = ld(r + 2 * u4 + off, full);
  if (bRec != 0) {
    az = f32x4.add(az, ld(bRec + off, full));
    ar = f32x4.add(ar, ld(bRec + u4 + off, full));
    rh = f32x4.add(rh, ld(bRec + 2 * u4 + off, full));
  }
  const z = vsigmoid(az);
  const rr = vsigmoid(ar);
  const hh = vtanh(madd(rr, rh, ld(x + 2 * u4 + off, full)));
  st(x + off, z, full);
  st(x + u4 + off, rr, full);
  st(x + 2 * u4 + off, hh, full);
  st(r + 2 * u4 + off, rh, full);
  blend(z, hh, h, hs, o, off, full);
}

/**
 * resetAfter = true, one step of BPTT. dX[b] (xStride) receives the gradient of x W + b_in, dR[b]
 * (rStride) that of h U + b_rh; gH becomes dh z (the caller adds dR U^T); hPrev: h before the step.
 */
export function gruBackwardStep(B: i32, U: i32, xg: usize, dX: usize, xStride: i32, rec: usize, dR: usize, rStride: i32,
  hPrev: usize, hpStride: i32, dOut: usize, dStride: i32, gH: usize, gO: usize, mask: usize, mStride: i32, zeroOut: i32): void {
  for (let b = 0; b < B; b++) {
    const dx = dX + <usize>b * xStride * 4;
    const dr = dR + <usize>b * rStride * 4;
    const go = gO + <usize>b * U * 4;
    const db: usize = dOut == 0 ? 0 : dOut + <usize>b * dStride * 4;
    if (rowOn(mask, b, mStride)) {
      const x = xg + <usize>b * xStride * 4;
      const r = rec + <usize>b * rStride * 4;
      const hp = hPrev + <usize>b * hpStride * 4;
      const gh = gH + <usize>b * U * 4;
      let j = 0;
      for (; j + 4 <= U; j += 4) bwdCell(x, dx, r, dr, hp, db, gh, go, U, j, true);
      for (; j < U; j++) bwdCell(x, dx, r, dr, hp, db, gh, go, U, j, false);
    } else {
      carryOutputGrad(go, db, U, zeroOut);
      memory.fill(dx, 0, <usize>U * 12);
      memory.fill(dr, 0, <usize>U * 12);
    }
  }
}

@inline function bwdCell(x: usize, dx: usize, r: usize, dr: usize, hp: usize, dOut: usize, gh: usize, go: usize, U: i32,
  j: i32, full: bool): void {
  const off = <usize>j * 4;
  const u4 = <usize>U * 4;
  const dh = f32x4.add(takeOutputGrad(go, dOut, off, full), ld(gh + off, full));
  const z = ld(x + off, full);
  const rr = ld(x + u4 + off, full);
  const hh = ld(x + 2 * u4 + off, full);
  const rh = ld(r + 2 * u4 + off, full);
  st(gh + off, f32x4.mul(dh, z), full);
  const daz = f32x4.mul(f32x4.mul(dh, f32x4.sub(ld(hp + off, full), hh)), dsig(z));
  const dah = f32x4.mul(f32x4.mul(dh, f32x4.sub(f32x4.splat(1), z)), oneMinusSq(hh));
  const dar = f32x4.mul(f32x4.mul(dah, rh), dsig(rr));
  st(dx + off, daz, full);
  st(dx + u4 + off, dar, full);
  st(dx + 2 * u4 + off, dah, full);
  st(dr + off, daz, full);
  st(dr + u4 + off, dar, full);
  st(dr + 2 * u4 + off, f32x4.mul(dah, rr), full);
}

/**
 * resetAfter = false, first half of a step (all rows): z, r from xg + rec (rec = hd U_zr), stored in xg;
 * rhd = r * hd written to rec's h part (the A operand of the caller's next GEMM, which adds rhd U_h to xg's h part).
 */
export function gruV1ForwardGates(B: i32, U: i32, xg: usize, xStride: i32, rec: usize, rStride: i32, hd: usize,
  hdStride: i32): void {
  const u4 = <usize>U * 4;
  for (let b = 0; b < B; b++) {
    const x = xg + <usize>b * xStride * 4;
    const r = rec + <usize>b * rStride * 4;
    const hb = hd + <usize>b * hdStride * 4;
    let j = 0;
    for (; j + 4 <= U; j += 4) v1GatesCell(x, r, hb, u4, <usize>j * 4, true);
    for (; j < U; j++) v1GatesCell(x, r, hb, u4, <usize>j * 4, false);
  }
}

@inline function v1GatesCell(x: usize, r: usize, hb: usize, u4: usize, off: usize, full: bool): void {
  const z = vsigmoid(f32x4.add(ld(x + off, full), ld(r + off, full)));
  const rr = vsigmoid(f32x4.add(ld(x + u4 + off, full), ld(r + u4 + off, full)));
  st(x + off, z, full);
  st(x + u4 + off, rr, full);
  st(r + 2 * u4 + off, f32x4.mul(rr, ld(hb + off, full)), full);
}

/** resetAfter = false, second half: hh = tanh(xg_h) and the state update (masked rows carried). */
export function gruV1ForwardOut(B: i32, U: i32, xg: usize, xStride: i32, h: usize, hSave: usize, hStride: i32,
  out: usize, prevOut: usize, oStride: i32, mask: usize, mStride: i32, zeroOut: i32): void {
  const u4 = <usize>U * 4;
  for (let b = 0; b < B; b++) {
    const x = xg + <usize>b * xStride * 4;
    const hb = h + <usize>b * U * 4;
    const hs = hSave + <usize>b * hStride * 4;
    const ob = out + <usize>b * oStride * 4;
    if (!rowOn(mask, b, mStride)) {
      const pb: usize = prevOut == 0 ? 0 : prevOut + <usize>b * oStride * 4;
      carryRow(hb, hs, ob, pb, U, zeroOut);
      continue;
    }
    let j = 0;
    for (; j + 4 <= U; j += 4) v1OutCell(x, hb, hs, ob, u4, <usize>j * 4, true);
    for (; j < U; j++) v1OutCell(x, hb, hs, ob, u4, <usize>j * 4, false);
  }
}

@inline function v1OutCell(x: usize, hb: usize, hs: usize, ob: usize, u4: usize, off: usize, full: bool): void {
  const hh = vtanh(ld(x + 2 * u4 + off, full));
  st(x + 2 * u4 + off, hh, full);
  blend(ld(x + off, full), hh, hb, hs, ob, off, full);
}

/**
 * resetAfter = false, backward first half: dz, dhh; dX's z and h parts (r part zeroed), gH = dh z on
 * unmasked rows. The caller then computes tmp = dX_h U_h^T and calls gruV1BackwardReset.
 */
export function gruV1BackwardA(B: i32, U: i32, xg: usize, dX: usize, xStride: i32, hPrev: usize, hpStride: i32,
  dOut: usize, dStride: i32, gH: usize, gO: usize, mask: usize, mStride: i32, zeroOut: i32): void {
  const u4 = <usize>U * 4;
  for (let b = 0; b < B; b++) {
    const dx = dX + <usize>b * xStride * 4;
    const go = gO + <usize>b * U * 4;
    const db: usize = dOut == 0 ? 0 : dOut + <usize>b * dStride * 4;
    memory.fill(dx, 0, <usize>U * 12);
    if (!rowOn(mask, b, mStride)) {
      carryOutputGrad(go, db, U, zeroOut);
      continue;
    }
    const x = xg + <usize>b * xStride * 4;
    const hp = hPrev + <usize>b * hpStride * 4;
    const gh = gH + <usize>b * U * 4;
    let j = 0;
    for (; j + 4 <= U; j += 4) v1BackCell(x, dx, hp, db, gh, go, u4, <usize>j * 4, true);
    for (; j < U; j++) v1BackCell(x, dx, hp, db, gh, go, u4, <usize>j * 4, false);
  }
}

@inline function v1BackCell(x: usize, dx: usize, hp: usize, db: usize, gh: usize, go: usize, u4: usize, off: usize,
  full: bool): void {
  const dh = f32x4.add(takeOutputGrad(go, db, off, full), ld(gh + off, full));
  const z = ld(x + off, full);
  const hh = ld(x + 2 * u4 + off, full);
  st(gh + off, f32x4.mul(dh, z), full);
  st(dx + off, f32x4.mul(f32x4.mul(dh, f32x4.sub(ld(hp + off, full), hh)), dsig(z)), full);
  st(dx + 2 * u4 + off, f32x4.mul(f32x4.mul(dh, f32x4.sub(f32x4.splat(1), z)), oneMinusSq(hh)), full);
}

/** resetAfter = false, backward second half: given dRhd = dX_h U_h^T (tmp), dX_r and gHd = dRhd * r. */
export function gruV1BackwardReset(B: i32, U: i32, xg: usize, dX: usize, xStride: i32, hd: usize, hdStride: i32,
  dRhd: usize, gHd: usize): void {
  const u4 = <usize>U * 4;
  for (let b = 0; b < B; b++) {
    const x = xg + <usize>b * xStride * 4;
    const dx = dX + <usize>b * xStride * 4;
    const hb = hd + <usize>b * hdStride * 4;
    const t = dRhd + <usize>b * U * 4;
    const g = gHd + <usize>b * U * 4;
    let j = 0;
    for (; j + 4 <= U; j += 4) v1ResetCell(x, dx, hb, t, g, u4, <usize>j * 4, true);
    for (; j < U; j++) v1ResetCell(x, dx, hb, t, g, u4, <usize>j * 4, false);
  }
}

@inline function v1ResetCell(x: usize, dx: usize, hb: usize, t: usize, g: usize, u4: usize, off: usize, full: bool): void {
  const rr = ld(x + u4 + off, full);
  const d = ld(t + off, full);
  st(dx + u4 + off, f32x4.mul(f32x4.mul(d, ld(hb + off, full)), dsig(rr)), full);
  st(g + off, f32x4.mul(d, rr), full);
}
