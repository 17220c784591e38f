// Shared SIMD helpers: multiply-add (fused when built with relaxed SIMD), exp, sigmoid, tanh.
// ASC_FEATURE_RELAXED_SIMD is a compile-time constant: each build keeps exactly one branch.

/** a * b + c; a fused multiply-add in the relaxed-SIMD build. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Loads 4 lanes, or (tail element) one float splatted to all lanes. */
@inline export function ld(p: usize, full: bool): v128 {
  return full ? v128.load(p) : f32x4.splat(load<f32>(p));
}

/** Stores 4 lanes, or (tail element) lane 0 only. */
@inline export function st(p: usize, v: v128, full: bool): void {
  if (full) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

/** e^x, relative error ~1e-7 over the f32 range (inputs clamped to [-87.3, 88.3]). */
@inline export function vexp(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, f32x4.splat(-87.3)), f32x4.splat(88.3));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504)));
  // r = x - n ln2, ln2 split in a high part exact in f32 and a low correction
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.add(r, f32x4.mul(n, f32x4.splat(2.12194440e-4)));
  // Taylor polynomial of degree 7 on |r| <= ln2/2 (Horner)
  let p = f32x4.splat(1.984127e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3888889e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3333333e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1666667e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.16666667));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

@inline export function vsigmoid(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

/** tanh(x) = 1 - 2 / (e^{2x} + 1). */
@inline export function vtanh(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(vexp(f32x4.add(x, x)), one)));
}

/** 1 - v*v */
@inline export function oneMinusSq(v: v128): v128 {
  return f32x4.sub(f32x4.splat(1.0), f32x4.mul(v, v));
}

/** v * (1 - v) */
@inline export function dsig(v: v128): v128 {
  return f32x4.mul(v, f32x4.sub(f32x4.splat(1.0), v));
}
