// Optimizer updates on float32 vectors (pointers in bytes). Adam follows tf.train.adam's operations one by one,
// each rounded to float32 and none fused (no multiply-add, in either build), so the weights and moments equal
// tfjs's own Adam bit for bit.

/**
 * Adam on n elements: m = m * b1 + g * (1 - b1); v = v * b2 + g² * (1 - b2);
 * w = (m / c1) / (sqrt(v / c2) + eps) * -lr + w, with c1 = 1 - b1^t, c2 = 1 - b2^t as the caller keeps them.
 */
export function adamUpdate(n: i32, w: usize, g: usize, m: usize, v: usize, b1: f32, omb1: f32, b2: f32, omb2: f32,
  c1: f32, c2: f32, eps: f32, negLr: f32): void {
  const B1 = f32x4.splat(b1);
  const OB1 = f32x4.splat(omb1);
  const B2 = f32x4.splat(b2);
  const OB2 = f32x4.splat(omb2);
  const C1 = f32x4.splat(c1);
  const C2 = f32x4.splat(c2);
  const E = f32x4.splat(eps);
  const L = f32x4.splat(negLr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), B1), f32x4.mul(gi, OB1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), B2), f32x4.mul(f32x4.mul(gi, gi), OB2));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.div(mi, C1), f32x4.add(f32x4.sqrt(f32x4.div(vi, C2)), E));
    v128.store(w + o, f32x4.add(f32x4.mul(step, L), v128.load(w + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o) * b1 + gi * omb1;
    const vi = load<f32>(v + o) * b2 + gi * gi * omb2;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, (mi / c1) / (Mathf.sqrt(vi / c2) + eps) * negLr + load<f32>(w + o));
  }
}
