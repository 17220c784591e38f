// Softmax cross-entropy over rows of logits (the output layer of a classifier or translator).
import { vexp } from './simd';

/**
 * For each row r of logits [N, V] (stride ld): loss[r] = w_r * (logsumexp(row) - row[label_r]), and the
 * row is overwritten with its gradient w_r * scale * (softmax(row) - onehot(label_r)). labels: i32 [N];
 * weights: f32 [N] (0 = all ones). Returns the weighted loss sum.
 */
export function softmaxXentRows(N: i32, V: i32, logits: usize, ld: i32, labels: usize, weights: usize, loss: usize,
  scale: f32): f64 {
  let total: f64 = 0;
  for (let r = 0; r < N; r++) {
    const row = logits + <usize>r * ld * 4;
    const w: f32 = weights == 0 ? 1 : load<f32>(weights + <usize>r * 4);
    const label = load<i32>(labels + <usize>r * 4);
    // max
    let vm = f32x4.splat(-Infinity);
    let j = 0;
    for (; j + 4 <= V; j += 4) vm = f32x4.max(vm, v128.load(row + <usize>j * 4));
    let m = max(max(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)), max(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)));
    for (; j < V; j++) m = max(m, load<f32>(row + <usize>j * 4));
    const xl: f64 = label >= 0 && label < V ? <f64>(load<f32>(row + <usize>label * 4) - m) : 0;
    // exp(x - m) in place, sum
    const vmax = f32x4.splat(m);
    let vs = f32x4.splat(0);
    j = 0;
    for (; j + 4 <= V; j += 4) {
      const p = row + <usize>j * 4;
      const e = vexp(f32x4.sub(v128.load(p), vmax));
      v128.store(p, e);
      vs = f32x4.add(vs, e);
    }
    let s: f64 = <f64>f32x4.extract_lane(vs, 0) + <f64>f32x4.extract_lane(vs, 1) + <f64>f32x4.extract_lane(vs, 2) + <f64>f32x4.extract_lane(vs, 3);
    for (; j < V; j++) {
      const p = row + <usize>j * 4;
      const e = f32x4.extract_lane(vexp(f32x4.splat(load<f32>(p) - m)), 0);
      store<f32>(p, e);
      s += <f64>e;
    }
    const l = <f32>(Math.log(s) - xl) * w;
    store<f32>(loss + <usize>r * 4, l);
    total += <f64>l;
    // gradient: w * scale * (e / s - onehot)
    const k = <f32>(1 / s) * w * scale;
    const vk = f32x4.splat(k);
    j = 0;
    for (; j + 4 <= V; j += 4) {
      const p = row + <usize>j * 4;
      v128.store(p, f32x4.mul(v128.load(p), vk));
    }
    for (; j < V; j++) {
      const p = row + <usize>j * 4;
      store<f32>(p, load<f32>(p) * k);
    }
    if (label >= 0 && label < V) {
      const p = row + <usize>label * 4;
      store<f32>(p, load<f32>(p) - w * scale);
    }
  }
  return total;
}
