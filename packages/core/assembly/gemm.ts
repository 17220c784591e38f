// Row-major f32 GEMM: C = alpha * op(A) * op(B) + beta * C, op = identity or transpose.
// op(B) is packed once into 8-column panels ([K][8] each), op(A) per (KC x MC) block into 6-row panels
// ([kc][MR] each); an MRx8 register-blocked micro-kernel does all the arithmetic, so the transposed cases
// only change the packing loops. MR = 6 (12 v128 accumulators) with fused multiply-add; MR = 5 in the plain
// SIMD build, whose separate multiply needs a temporary register: 6 rows there spill (V8 on x64 has 15
// usable vector registers) and measured 30-100% slower than 5.
import { madd } from './simd';

const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = MR * 16; // multiple of MR

// MRx8 tile for partial (edge) tiles; a second thread on the same (shared) memory sets its own
let tile: usize = memory.data(6 * NR * 4, 16);

/** Moves this instance's edge tile (192 bytes) to `p`: each thread sharing a memory needs its own. */
export function setTile(p: usize): void {
  tile = p;
}

/** Bytes of scratch `gemm` needs for these sizes (packed B, then one packed A block). */
export function gemmScratchBytes(M: i32, N: i32, K: i32): usize {
  return packedBBytes(K, N) + <usize>(MC * KC * 4) + 64;
}

/** Bytes of a fully packed op(B) of K x N. */
export function packedBBytes(K: i32, N: i32): usize {
  return ((<usize>((N + NR - 1) / NR) * <usize>K * 32) + 63) & ~(<usize>63);
}

/** Packs op(B) (K x N; B is K x N row-major, or N x K when transB) into 8-column panels at dst. */
export function packB(transB: i32, K: i32, N: i32, B: usize, ldb: i32, dst: usize): void {
  const panels = (N + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    const j0 = p * NR;
    const nj = min(NR, N - j0);
    const d = dst + <usize>p * <usize>K * 32;
    if (!transB) {
      if (nj == NR) {
        for (let k = 0; k < K; k++) {
          const s = B + (<usize>k * ldb + j0) * 4;
          v128.store(d + <usize>k * 32, v128.load(s));
          v128.store(d + <usize>k * 32, v128.load(s, 16), 16);
        }
      } else {
        for (let k = 0; k < K; k++) {
          const s = B + (<usize>k * ldb + j0) * 4;
          for (let j = 0; j < NR; j++) store<f32>(d + <usize>(k * 32 + j * 4), j < nj ? load<f32>(s + <usize>j * 4) : 0);
        }
      }
    } else {
      for (let j = 0; j < NR; j++) {
        const dj = d + <usize>j * 4;
        if (j < nj) {
          const s = B + <usize>(j0 + j) * ldb * 4;
          for (let k = 0; k < K; k++) store<f32>(dj + <usize>k * 32, load<f32>(s + <usize>k * 4));
        } else {
          for (let k = 0; k < K; k++) store<f32>(dj + <usize>k * 32, 0);
        }
      }
    }
  }
}

/**
 * Packs rows i0..i0+mc, columns k0..k0+kc of op(A) into MR-row panels at dst. Untransposed full panels
 * go 4 columns at a time through a 4x4 register transpose (rows 0-3) and lane stores (rows 4-5).
 */
function packA(transA: i32, A: usize, lda: i32, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  const panels = (mc + MR - 1) / MR;
  for (let q = 0; q < panels; q++) {
    const r0 = i0 + q * MR;
    const nr = min(MR, i0 + mc - r0);
    const d = dst + <usize>q * <usize>kc * MR * 4;
    if (!transA && nr == MR) {
      // 4 k at a time: rows 0-3 transposed in registers (4x4), rows 4 (and 5) stored lane by lane
      const s0 = A + (<usize>r0 * lda + k0) * 4;
      const rs = <usize>lda * 4;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const s = s0 + <usize>k * 4;
        const v0 = v128.load(s);
        const v1 = v128.load(s + rs);
        const v2 = v128.load(s + 2 * rs);
        const v3 = v128.load(s + 3 * rs);
        const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
        const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
        const dk = d + <usize>k * MR * 4;
        v128.store(dk, i64x2.shuffle(t0, t2, 0, 2));
        v128.store(dk, i64x2.shuffle(t0, t2, 1, 3), MR * 4);
        v128.store(dk, i64x2.shuffle(t1, t3, 0, 2), MR * 8);
        v128.store(dk, i64x2.shuffle(t1, t3, 1, 3), MR * 12);
        const v4 = v128.load(s + 4 * rs);
        if (MR == 6) {
          const v5 = v128.load(s + 5 * rs);
          const p0 = i32x4.shuffle(v4, v5, 0, 4, 1, 5);
          const p1 = i32x4.shuffle(v4, v5, 2, 6, 3, 7);
          v128.store64_lane(dk, p0, 0, 16);
          v128.store64_lane(dk, p0, 1, MR * 4 + 16);
          v128.store64_lane(dk, p1, 0, MR * 8 + 16);
          v128.store64_lane(dk, p1, 1, MR * 12 + 16);
        } else {
          v128.store32_lane(dk, v4, 0, 16);
          v128.store32_lane(dk, v4, 1, MR * 4 + 16);
          v128.store32_lane(dk, v4, 2, MR * 8 + 16);
          v128.store32_lane(dk, v4, 3, MR * 12 + 16);
        }
      }
      for (; k < kc; k++) {
        const s = s0 + <usize>k * 4;
        const dk = d + <usize>k * MR * 4;
        for (let r = 0; r < MR; r++) store<f32>(dk + <usize>r * 4, load<f32>(s + <usize>r * rs));
      }
    } else if (!transA) {
      for (let r = 0; r < MR; r++) {
        const dr = d + <usize>r * 4;
        if (r < nr) {
          const s = A + (<usize>(r0 + r) * lda + k0) * 4;
          for (let k = 0; k < kc; k++) store<f32>(dr + <usize>k * MR * 4, load<f32>(s + <usize>k * 4));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(dr + <usize>k * MR * 4, 0);
        }
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const s = A + (<usize>(k0 + k) * lda + r0) * 4;
        const dk = d + <usize>k * MR * 4;
        if (nr == MR) {
          v128.store(dk, v128.load(s));
          if (MR == 6) store<u64>(dk, load<u64>(s, 16), 16);
          else store<f32>(dk, load<f32>(s, 16), 16);
        } else {
          for (let r = 0; r < MR; r++) store<f32>(dk + <usize>r * 4, r < nr ? load<f32>(s + <usize>r * 4) : 0);
        }
      }
    }
  }
}

@inline function storeRow(p: usize, x0: v128, x1: v128, va: v128, vb: v128, zeroBeta: bool): void {
  if (zeroBeta) {
    v128.store(p, f32x4.mul(x0, va));
    v128.store(p, f32x4.mul(x1, va), 16);
  } else {
    v128.store(p, madd(x0, va, f32x4.mul(v128.load(p), vb)));
    v128.store(p, madd(x1, va, f32x4.mul(v128.load(p, 16), vb)), 16);
  }
}

/** C[0:mr, 0:nr] (= alpha * acc + beta * C) for one MRx8 tile over kc packed steps. */
function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, alpha: f32, beta: f32, mr: i32, nr: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(pa, 16);
    c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    if (MR == 6) {
      a = v128.load32_splat(pa, 20);
      c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    }
    pa += MR * 4;
    pb += 32;
  }
  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  const zb = beta == 0;
  const rs = <usize>ldc * 4;
  if (mr == MR && nr == NR) {
    storeRow(c, c00, c01, va, vb, zb);
    storeRow(c + rs, c10, c11, va, vb, zb);
    storeRow(c + rs * 2, c20, c21, va, vb, zb);
    storeRow(c + rs * 3, c30, c31, va, vb, zb);
    storeRow(c + rs * 4, c40, c41, va, vb, zb);
    if (MR == 6) storeRow(c + rs * 5, c50, c51, va, vb, zb);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  v128.store(tile, c40, 128); v128.store(tile, c41, 144);
  if (MR == 6) {
    v128.store(tile, c50, 160); v128.store(tile, c51, 176);
  }
  for (let r = 0; r < mr; r++) {
    const cr = c + <usize>r * rs;
    for (let j = 0; j < nr; j++) {
      const v = alpha * load<f32>(tile + <usize>(r * 32 + j * 4));
      const p = cr + <usize>j * 4;
      store<f32>(p, zb ? v : v + beta * load<f32>(p));
    }
  }
}

@inline function storeVec(p: usize, x: v128, va: v128, vb: v128, zeroBeta: bool): void {
  v128.store(p, zeroBeta ? f32x4.mul(x, va) : madd(x, va, f32x4.mul(v128.load(p), vb)));
}

/**
 * One row of A (elements aStride apart) times packed B: 4 panels (32 columns) per pass, 8 accumulators.
 * K is split into KC blocks exactly as the MRx8 kernel splits it, so a row gets the same sums whether M is 1.
 */
function gemv(aStride: i32, N: i32, K: i32, alpha: f32, A: usize, packedB: usize, beta: f32, C: usize): void {
  const va = f32x4.splat(alpha);
  const panels = (N + NR - 1) / NR;
  const full = N / NR;
  const pStride = <usize>K * 32;
  const as = <usize>aStride * 4;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const b: f32 = k0 == 0 ? beta : 1;
    const vb = f32x4.splat(b);
    const zb = b == 0;
    const a0 = A + <usize>k0 * as;
    let p = 0;
    for (; p + 4 <= full; p += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
      let pb = packedB + <usize>p * pStride + <usize>k0 * 32;
      let pa = a0;
      for (let k = 0; k < kc; k++) {
        const a = v128.load32_splat(pa);
        c0 = madd(a, v128.load(pb), c0);
        c1 = madd(a, v128.load(pb, 16), c1);
        c2 = madd(a, v128.load(pb + pStride), c2);
        c3 = madd(a, v128.load(pb + pStride, 16), c3);
        c4 = madd(a, v128.load(pb + 2 * pStride), c4);
        c5 = madd(a, v128.load(pb + 2 * pStride, 16), c5);
        c6 = madd(a, v128.load(pb + 3 * pStride), c6);
        c7 = madd(a, v128.load(pb + 3 * pStride, 16), c7);
        pa += as;
        pb += 32;
      }
      const c = C + <usize>p * 32;
      storeVec(c, c0, va, vb, zb); storeVec(c + 16, c1, va, vb, zb);
      storeVec(c + 32, c2, va, vb, zb); storeVec(c + 48, c3, va, vb, zb);
      storeVec(c + 64, c4, va, vb, zb); storeVec(c + 80, c5, va, vb, zb);
      storeVec(c + 96, c6, va, vb, zb); storeVec(c + 112, c7, va, vb, zb);
    }
    for (; p < panels; p++) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      let pb = packedB + <usize>p * pStride + <usize>k0 * 32;
      let pa = a0;
      for (let k = 0; k < kc; k++) {
        const a = v128.load32_splat(pa);
        c0 = madd(a, v128.load(pb), c0);
        c1 = madd(a, v128.load(pb, 16), c1);
        pa += as;
        pb += 32;
      }
      const nr = min(NR, N - p * NR);
      const c = C + <usize>p * 32;
      if (nr == NR) {
        storeVec(c, c0, va, vb, zb);
        storeVec(c + 16, c1, va, vb, zb);
      } else {
        v128.store(tile, c0);
        v128.store(tile, c1, 16);
        for (let j = 0; j < nr; j++) {
          const v = alpha * load<f32>(tile + <usize>j * 4);
          const q = c + <usize>j * 4;
          store<f32>(q, zb ? v : v + b * load<f32>(q));
        }
      }
    }
  }
}

/** C = alpha * op(A) * packedB + beta * C, with op(B) already packed by `packB`. */
export function gemmPacked(transA: i32, M: i32, N: i32, K: i32, alpha: f32, A: usize, lda: i32, packedB: usize,
  beta: f32, C: usize, ldc: i32, scratch: usize): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    scaleRows(M, N, C, ldc, beta);
    return;
  }
  if (M == 1) {
    gemv(transA ? lda : 1, N, K, alpha, A, packedB, beta, C);
    return;
  }
  const npN = (N + NR - 1) / NR;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const b: f32 = k0 == 0 ? beta : 1;
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      packA(transA, A, lda, i0, mc, k0, kc, scratch);
      const npM = (mc + MR - 1) / MR;
      for (let p = 0; p < npN; p++) {
        const pb = packedB + (<usize>p * K + k0) * 32;
        const nr = min(NR, N - p * NR);
        for (let q = 0; q < npM; q++) {
          const c = C + (<usize>(i0 + q * MR) * ldc + p * NR) * 4;
          micro(kc, scratch + <usize>q * kc * MR * 4, pb, c, ldc, alpha, b, min(MR, mc - q * MR), nr);
        }
      }
    }
  }
}

/** C = alpha * op(A) * op(B) + beta * C (row-major, leading dimensions in floats). */
export function gemm(transA: i32, transB: i32, M: i32, N: i32, K: i32, alpha: f32, A: usize, lda: i32, B: usize,
  ldb: i32, beta: f32, C: usize, ldc: i32, scratch: usize): void {
  if (M <= 0 || N <= 0) return;
  const pbBytes = packedBBytes(K, N);
  const pB = (scratch + 63) & ~(<usize>63);
  if (K > 0) packB(transB, K, N, B, ldb, pB);
  gemmPacked(transA, M, N, K, alpha, A, lda, pB, beta, C, ldc, pB + pbBytes);
}

function scaleRows(M: i32, N: i32, C: usize, ldc: i32, beta: f32): void {
  for (let i = 0; i < M; i++) {
    const r = C + <usize>i * ldc * 4;
    for (let j = 0; j < N; j++) store<f32>(r + <usize>j * 4, beta == 0 ? 0 : beta * load<f32>(r + <usize>j * 4));
  }
}
