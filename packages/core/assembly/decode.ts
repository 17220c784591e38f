// Row kernels of step-wise decoding (one token at a time over rows = sources x beams): row gathers and
// scatters (table lookups, beam reordering), attention of each row over its own source (dot or additive
// scores, masked softmax, context), tanh and log-softmax in place. Strides in floats, pointers in bytes.
import { ld, st, madd, vexp, vtanh } from './simd';

/** Keras's mask penalty: a masked score is lowered by 1e9 (in f32, as the composite path does). */
const MASK_PENALTY: f32 = 1e9;

/** dst[r, 0:cols] = table[ids[r], 0:cols]; ids i32 [rows]. */
export function gatherRows(rows: i32, cols: i32, table: usize, tStride: i32, ids: usize, dst: usize, dStride: i32): void {
  for (let r = 0; r < rows; r++) {
    const id = load<i32>(ids + <usize>r * 4);
    memory.copy(dst + <usize>r * dStride * 4, table + <usize>id * tStride * 4, <usize>cols * 4);
  }
}

/** table[ids[r], 0:cols] = src[r, 0:cols]; ids i32 [rows]. */
export function scatterRows(rows: i32, cols: i32, src: usize, sStride: i32, ids: usize, table: usize, tStride: i32): void {
  for (let r = 0; r < rows; r++) {
    const id = load<i32>(ids + <usize>r * 4);
    memory.copy(table + <usize>id * tStride * 4, src + <usize>r * sStride * 4, <usize>cols * 4);
  }
}

/** Sum of the 4 lanes. */
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** a · b over n floats. */
@inline function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) acc = madd(v128.load(a + <usize>j * 4), v128.load(b + <usize>j * 4), acc);
  let s = hsum(acc);
  for (; j < n; j++) s += load<f32>(a + <usize>j * 4) * load<f32>(b + <usize>j * 4);
  return s;
}

/** Σ_j v[j] tanh(q[j] + k[j]) over n floats (Bahdanau / Luong concat score). */
@inline function additive(q: usize, k: usize, v: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j * 4;
    acc = madd(v128.load(v + o), vtanh(f32x4.add(v128.load(q + o), v128.load(k + o))), acc);
  }
  let s = hsum(acc);
  for (; j < n; j++) {
    const o = <usize>j * 4;
    s += load<f32>(v + o) * f32x4.extract_lane(vtanh(f32x4.splat(load<f32>(q + o) + load<f32>(k + o))), 0);
  }
  return s;
}

/**
 * Scores in w[0:S] -> masked softmax weights in place, and ctx[0:H] = Σ_s w[s] values[s, :].
 * mask: f32 [S] (0 = padding) or 0 for none.
 */
@inline function softmaxContext(S: i32, H: i32, w: usize, mask: usize, values: usize, ctx: usize): void {
  let m: f32 = -Infinity;
  for (let s = 0; s < S; s++) {
    const p = w + <usize>s * 4;
    let x = load<f32>(p);
    if (mask != 0 && load<f32>(mask + <usize>s * 4) == 0) {
      x -= MASK_PENALTY;
      store<f32>(p, x);
    }
    m = max(m, x);
  }
  let sum: f32 = 0;
  for (let s = 0; s < S; s++) {
    const p = w + <usize>s * 4;
    const e = Mathf.exp(load<f32>(p) - m);
    store<f32>(p, e);
    sum += e;
  }
  const inv: f32 = 1 / sum;
  memory.fill(ctx, 0, <usize>H * 4);
  for (let s = 0; s < S; s++) {
    const p = w + <usize>s * 4;
    const ws = load<f32>(p) * inv;
    store<f32>(p, ws);
    const vw = f32x4.splat(ws);
    const vs = values + <usize>s * H * 4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j * 4;
      v128.store(ctx + o, madd(vw, v128.load(vs + o), v128.load(ctx + o)));
    }
    for (; j < H; j++) {
      const o = <usize>j * 4;
      store<f32>(ctx + o, load<f32>(ctx + o) + ws * load<f32>(vs + o));
    }
  }
}

/**
 * Luong dot attention of each row over its own source: row r attends source srcOf[r] (i32 [R]).
 * q [R, H] (stride qStride); keys, values [B, S, H]; mask f32 [B, S] or 0; w [R, S] (stride wStride)
 * receives the weights, ctx [R, H] (stride cStride) the context.
 */
export function dotAttention(R: i32, S: i32, H: i32, q: usize, qStride: i32, keys: usize, values: usize, srcOf: usize,
  mask: usize, w: usize, wStride: i32, ctx: usize, cStride: i32): void {
  for (let r = 0; r < R; r++) {
    const b = <usize>load<i32>(srcOf + <usize>r * 4);
    const qr = q + <usize>r * qStride * 4;
    const kb = keys + b * S * H * 4;
    const wr = w + <usize>r * wStride * 4;
    for (let s = 0; s < S; s++) store<f32>(wr + <usize>s * 4, dot(qr, kb + <usize>s * H * 4, H));
    softmaxContext(S, H, wr, mask == 0 ? 0 : mask + b * S * 4, values + b * S * H * 4, ctx + <usize>r * cStride * 4);
  }
}

/**
 * Additive attention (Bahdanau; Luong concat): score[s] = Σ_j v[j] tanh(q[r, j] + keys[b, s, j]), with q the
 * projected query (q Wq) and keys the projected memory (memory Wk); otherwise as {@link dotAttention}.
 */
export function additiveAttention(R: i32, S: i32, H: i32, q: usize, qStride: i32, keys: usize, v: usize, values: usize,
  srcOf: usize, mask: usize, w: usize, wStride: i32, ctx: usize, cStride: i32): void {
  for (let r = 0; r < R; r++) {
    const b = <usize>load<i32>(srcOf + <usize>r * 4);
    const qr = q + <usize>r * qStride * 4;
    const kb = keys + b * S * H * 4;
    const wr = w + <usize>r * wStride * 4;
    for (let s = 0; s < S; s++) store<f32>(wr + <usize>s * 4, additive(qr, kb + <usize>s * H * 4, v, H));
    softmaxContext(S, H, wr, mask == 0 ? 0 : mask + b * S * 4, values + b * S * H * 4, ctx + <usize>r * cStride * 4);
  }
}

/** x[r, 0:cols] = tanh(x[r, 0:cols]) for rows r (stride xStride). */
export function tanhRows(rows: i32, cols: i32, x: usize, xStride: i32): void {
  for (let r = 0; r < rows; r++) {
    const p = x + <usize>r * xStride * 4;
    let j = 0;
    for (; j + 4 <= cols; j += 4) st(p + <usize>j * 4, vtanh(ld(p + <usize>j * 4, true)), true);
    for (; j < cols; j++) st(p + <usize>j * 4, vtanh(ld(p + <usize>j * 4, false)), false);
  }
}

/** Each row of x [rows, V] (stride ld) becomes its log-softmax: (x - max) - log Σ exp(x - max). */
export function logSoftmaxRows(rows: i32, V: i32, x: usize, ldx: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * ldx * 4;
    let vm = f32x4.splat(-Infinity);
    let j = 0;
    for (; j + 4 <= V; j += 4) vm = f32x4.max(vm, v128.load(row + <usize>j * 4));
    let m = max(max(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)), max(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)));
    for (; j < V; j++) m = max(m, load<f32>(row + <usize>j * 4));
    const vmax = f32x4.splat(m);
    // the sum in f64: one term is 1 and most are tiny, which an f32 sum would round away (tfjs's does)
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    j = 0;
    for (; j + 4 <= V; j += 4) {
      const e = vexp(f32x4.sub(v128.load(row + <usize>j * 4), vmax));
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    }
    const acc = f64x2.add(lo, hi);
    let s: f64 = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; j < V; j++) s += <f64>f32x4.extract_lane(vexp(f32x4.splat(load<f32>(row + <usize>j * 4) - m)), 0);
    const ls = <f32>Math.log(s);
    const vls = f32x4.splat(ls);
    j = 0;
    for (; j + 4 <= V; j += 4) {
      const p = row + <usize>j * 4;
      v128.store(p, f32x4.sub(f32x4.sub(v128.load(p), vmax), vls));
    }
    for (; j < V; j++) {
      const p = row + <usize>j * 4;
      store<f32>(p, (load<f32>(p) - m) - ls);
    }
  }
}

/**
 * The k largest values of each row of x [rows, V] (stride ldx), sorted descending, ties by lower index:
 * ids i32 [rows, k] and vals f32 [rows, k]; a row with fewer than k values above -Infinity is padded
 * with id -1, value -Infinity. Blocks of 4 below the current k-th value are skipped in one comparison.
 */
export function topKRows(rows: i32, V: i32, x: usize, ldx: i32, k: i32, ids: usize, vals: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * ldx * 4;
    const ri = ids + <usize>r * k * 4;
    const rv = vals + <usize>r * k * 4;
    for (let i = 0; i < k; i++) {
      store<i32>(ri + <usize>i * 4, -1);
      store<f32>(rv + <usize>i * 4, -Infinity);
    }
    let n = 0;
    let thr: f32 = -Infinity; // a value must exceed this: -Infinity until k are held, then the k-th
    let j = 0;
    for (; j + 4 <= V; j += 4) {
      if (!v128.any_true(f32x4.gt(v128.load(row + <usize>j * 4), f32x4.splat(thr)))) continue;
      for (let l = 0; l < 4; l++) {
        const xv = load<f32>(row + <usize>(j + l) * 4);
        if (xv > thr) {
          n = insertTop(ri, rv, n, k, j + l, xv);
          if (n == k) thr = load<f32>(rv + <usize>(k - 1) * 4);
        }
      }
    }
    for (; j < V; j++) {
      const xv = load<f32>(row + <usize>j * 4);
      if (xv > thr) {
        n = insertTop(ri, rv, n, k, j, xv);
        if (n == k) thr = load<f32>(rv + <usize>(k - 1) * 4);
      }
    }
  }
}

/** Inserts (id, v) after every held value >= v, dropping the k-th when full; returns the new count. */
@inline function insertTop(ri: usize, rv: usize, n: i32, k: i32, id: i32, v: f32): i32 {
  let i = n < k ? n : k - 1;
  while (i > 0 && load<f32>(rv + <usize>(i - 1) * 4) < v) {
    store<f32>(rv + <usize>i * 4, load<f32>(rv + <usize>(i - 1) * 4));
    store<i32>(ri + <usize>i * 4, load<i32>(ri + <usize>(i - 1) * 4));
    i--;
  }
  store<f32>(rv + <usize>i * 4, v);
  store<i32>(ri + <usize>i * 4, id);
  return n < k ? n + 1 : k;
}
