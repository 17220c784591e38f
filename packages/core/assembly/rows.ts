// Row-wise helpers on strided f32 matrices (strides in floats, pointers in bytes; mask pointer 0 = none).
import { ld, st } from './simd';

/** dst[r, :] = src[r, :] * mask[r * maskStride, :] (mask 0: plain copy). maskStride 0 reuses one row. */
export function mulRows(rows: i32, cols: i32, dst: usize, dstStride: i32, src: usize, srcStride: i32, mask: usize,
  maskStride: i32): void {
  for (let r = 0; r < rows; r++) {
    const d = dst + <usize>r * dstStride * 4;
    const s = src + <usize>r * srcStride * 4;
    if (mask == 0) {
      memory.copy(d, s, <usize>cols * 4);
      continue;
    }
    const m = mask + <usize>r * maskStride * 4;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j * 4;
      v128.store(d + o, f32x4.mul(v128.load(s + o), v128.load(m + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j * 4;
      store<f32>(d + o, load<f32>(s + o) * load<f32>(m + o));
    }
  }
}

/** dst[r, :] += src[r, :] * mask[r * maskStride, :] (mask 0: plain add). */
export function addMulRows(rows: i32, cols: i32, dst: usize, dstStride: i32, src: usize, srcStride: i32, mask: usize,
  maskStride: i32): void {
  for (let r = 0; r < rows; r++) {
    const d = dst + <usize>r * dstStride * 4;
    const s = src + <usize>r * srcStride * 4;
    const m = mask + <usize>r * maskStride * 4;
    let j = 0;
    for (; j + 4 <= cols; j += 4) body(d, s, m, mask != 0, j, true);
    for (; j < cols; j++) body(d, s, m, mask != 0, j, false);
  }
}

@inline function body(d: usize, s: usize, m: usize, hasMask: bool, j: i32, full: bool): void {
  const o = <usize>j * 4;
  const v = hasMask ? f32x4.mul(ld(s + o, full), ld(m + o, full)) : ld(s + o, full);
  st(d + o, f32x4.add(ld(d + o, full), v), full);
}

/** dst[r, :] = row (a bias broadcast over rows). */
export function fillRows(rows: i32, cols: i32, dst: usize, dstStride: i32, row: usize): void {
  for (let r = 0; r < rows; r++) memory.copy(dst + <usize>r * dstStride * 4, row, <usize>cols * 4);
}

/** dst[j] (+)= sum over r of src[r, j]. */
export function colSum(rows: i32, cols: i32, src: usize, srcStride: i32, dst: usize, accumulate: i32): void {
  if (!accumulate) memory.fill(dst, 0, <usize>cols * 4);
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>r * srcStride * 4;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j * 4;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(s + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j * 4;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(s + o));
    }
  }
}

/** Masked step: out row = 0 or the previous output row (prev 0 = zeros). */
@inline export function carryOutput(o: usize, prev: usize, U: i32, zeroOut: i32): void {
  if (zeroOut || prev == 0) memory.fill(o, 0, <usize>U * 4);
  else memory.copy(o, prev, <usize>U * 4);
}

/** Masked step in the backward pass: the output gradient flows to the previous output (unless zeroed). */
@inline export function carryOutputGrad(go: usize, dOut: usize, U: i32, zeroOut: i32): void {
  if (zeroOut) {
    memory.fill(go, 0, <usize>U * 4);
    return;
  }
  if (dOut == 0) return;
  let j = 0;
  for (; j + 4 <= U; j += 4) {
    const o = <usize>j * 4;
    v128.store(go + o, f32x4.add(v128.load(go + o), v128.load(dOut + o)));
  }
  for (; j < U; j++) {
    const o = <usize>j * 4;
    store<f32>(go + o, load<f32>(go + o) + load<f32>(dOut + o));
  }
}

/** Per-row mask value: true when the step is on (mask 0 = no mask). */
@inline export function rowOn(mask: usize, b: i32, mStride: i32): bool {
  return mask == 0 || load<f32>(mask + <usize>b * mStride * 4) != 0;
}

/** Output gradient of an unmasked step: dOut + carried gradient; clears the carry. */
@inline export function takeOutputGrad(go: usize, dOut: usize, o: usize, full: bool): v128 {
  let g = ld(go + o, full);
  if (dOut != 0) g = f32x4.add(g, ld(dOut + o, full));
  st(go + o, f32x4.splat(0), full);
  return g;
}
