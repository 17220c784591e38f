// The kernels' Adam update in both builds against tf.train.adam's operations written out in float32 (every
// operation rounded, none fused), including lengths that are not a multiple of the SIMD width; and the
// JavaScript range update LazyAdam uses for rows, against the kernel.
import { adamUpdateRange, adamUpdateVectors, type AdamStepScalars } from './optim';
import { enableRelaxedSimdForTests } from './testing/relaxed';
import { instantiateKernels } from './wasm';

const FLAVORS = enableRelaxedSimdForTests() ? (['simd', 'relaxed'] as const) : (['simd'] as const);

/** tfjs's Adam, one element: mul, mul, add; square, mul, mul, add; div, div, sqrt, add, div, mul, add. */
function reference(w: number, g: number, m: number, v: number, s: AdamStepScalars): [number, number, number] {
  const f = Math.fround;
  const nm = f(f(m * f(s.beta1)) + f(g * f(1 - s.beta1)));
  const nv = f(f(v * f(s.beta2)) + f(f(g * g) * f(1 - s.beta2)));
  const step = f(f(nm / f(s.c1)) / f(f(Math.sqrt(f(nv / f(s.c2)))) + f(s.epsilon)));
  return [f(f(step * f(-s.learningRate)) + w), nm, nv];
}

const vec = (n: number, seed: number, scale: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * scale);

describe.each(FLAVORS)('adamUpdateVectors [%s]', (flavor) => {
  const k = instantiateKernels(flavor);
  it.each([1, 3, 4, 7, 9, 1001])('equals the float32 reference element by element (n = %i)', (n) => {
    const s: AdamStepScalars = { beta1: 0.9, beta2: 0.999, c1: Math.fround(1 - Math.fround(0.9 * 0.9)), c2: Math.fround(1 - Math.fround(0.999 * 0.999)), epsilon: 1e-7, learningRate: 0.003 };
    const w = vec(n, 1, 0.5);
    const g = vec(n, 2, 40);
    g[0] = 0;
    const m = vec(n, 3, 2);
    const v = vec(n, 4, 3).map(Math.abs);
    const out = adamUpdateVectors(w, g, m, v, s, k);
    for (let i = 0; i < n; i++) {
      const [ew, em, ev] = reference(w[i] as number, g[i] as number, m[i] as number, v[i] as number, s);
      expect([out.w[i], out.m[i], out.v[i]]).toEqual([ew, em, ev]);
    }
    expect(Array.from(out.w)).not.toEqual(Array.from(w)); // the weights moved
    // the JavaScript range update (LazyAdam's rows) gives the same bits, and leaves elements outside the range
    const [w2, m2, v2] = [w.slice(), m.slice(), v.slice()];
    adamUpdateRange(w2, g, m2, v2, 0, n - 1, s);
    expect([Array.from(w2.subarray(0, n - 1)), Array.from(m2.subarray(0, n - 1)), Array.from(v2.subarray(0, n - 1))])
      .toEqual([Array.from(out.w.subarray(0, n - 1)), Array.from(out.m.subarray(0, n - 1)), Array.from(out.v.subarray(0, n - 1))]);
    expect([w2[n - 1], m2[n - 1], v2[n - 1]]).toEqual([w[n - 1], m[n - 1], v[n - 1]]);
    // without the kernels (not compiled yet on a page's main thread) the same numbers come from JavaScript
    const js = adamUpdateVectors(w, g, m, v, s, null);
    expect([Array.from(js.w), Array.from(js.m), Array.from(js.v)]).toEqual([Array.from(out.w), Array.from(out.m), Array.from(out.v)]);
  });
});
