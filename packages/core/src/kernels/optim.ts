// Adam's update run in the kernels (assembly/optim.ts) on float32 vectors that live outside them (tfjs's
// heap, JavaScript arrays): copied into the workspace and updated there; the caller takes the results. The
// same arithmetic in JavaScript (adamUpdateRange) serves a few rows of a table, and stands in where the
// kernels are not compiled.
// tf.train.adam spends ~10 tfjs operations per variable, each a pass over memory and an allocation; this is
// one pass. It stays on one thread: the copies in and out dominate, and a split of the pass across the two
// threads measured no gain (bench/optimizer.bench.ts: 3.3-3.6 ms either way for 1.3M parameters, and
// slower below that, 0.50 vs 0.37-0.40 ms for 132k, by the hand-off).
import { workspaceOf } from './gemm';
import { kernels, type KernelExports } from './wasm';

/** The float32 scalars of one Adam step, as tf.train.adam's operations see them. */
export interface AdamStepScalars {
  beta1: number;
  beta2: number;
  /** 1 - beta1^t and 1 - beta2^t, each as tfjs computes it (float32). */
  c1: number;
  c2: number;
  epsilon: number;
  learningRate: number;
}

/** The kernel's scalar arguments, as tfjs makes its scalar tensors: b1, 1 - b1, b2, 1 - b2, c1, c2, epsilon, -lr. */
function float32Scalars(s: AdamStepScalars): [number, number, number, number, number, number, number, number] {
  const f = Math.fround;
  return [f(s.beta1), f(1 - s.beta1), f(s.beta2), f(1 - s.beta2), f(s.c1), f(s.c2), f(s.epsilon), f(-s.learningRate)];
}

/**
 * beta^(steps + 1) as tf.train.adam's optimizer holds it after `steps` updates: float32 beta multiplied in
 * float32 once per update (a restored optimizer takes this, not a power, to continue exactly).
 */
export function stepwiseBetaPower(beta: number, steps: number): number {
  const b = Math.fround(beta);
  let acc = b;
  for (let t = 0; t < steps; t++) acc = Math.fround(acc * b);
  return acc;
}

/**
 * The kernels, or null where they cannot be compiled synchronously (a browser's main thread before
 * `initKernels()` / `initBackend()` has compiled them: engines refuse large synchronous compiles there).
 */
function loadedKernels(): KernelExports | null {
  try {
    return kernels();
  } catch {
    return null;
  }
}

/** Views of one Adam step's results in the kernels' memory (valid until the next kernel call), or new arrays. */
export interface AdamStepResult {
  w: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/**
 * One Adam step on weights `w` with gradient `g` and moments `m`, `v` (all of one length, only read): each
 * element as tf.train.adam computes it, bit for bit. Returns the new weights and moments.
 */
export function adamUpdateVectors(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
  s: AdamStepScalars, k: KernelExports | null = loadedKernels()): AdamStepResult {
  const n = w.length;
  if (!k) {
    // the same arithmetic in JavaScript, where the kernels cannot be compiled synchronously
    const out = { w: w.slice(), m: m.slice(), v: v.slice() };
    adamUpdateRange(out.w, g, out.m, out.v, 0, n, s);
    return out;
  }
  const ws = workspaceOf(k);
  ws.reset();
  const pw = ws.put(w);
  const pg = ws.put(g);
  const pm = ws.put(m);
  const pv = ws.put(v);
  k.adamUpdate(n, pw, pg, pm, pv, ...float32Scalars(s));
  return { w: ws.f32(pw, n), m: ws.f32(pm, n), v: ws.f32(pv, n) };
}

/**
 * adamUpdate's arithmetic in JavaScript, in place on elements [from, to): for a few rows of a large table,
 * where copying whole vectors into the kernels would cost more than the update. Each operation is rounded
 * to float32 as the kernel rounds it (a double result of one float32 operation rounds to the float32 one).
 */
export function adamUpdateRange(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, from: number, to: number,
  s: AdamStepScalars): void {
  const f = Math.fround;
  const [b1, omb1, b2, omb2, c1, c2, eps, negLr] = float32Scalars(s);
  for (let i = from; i < to; i++) {
    const gi = g[i] as number;
    const mi = f(f((m[i] as number) * b1) + f(gi * omb1));
    const vi = f(f((v[i] as number) * b2) + f(f(gi * gi) * omb2));
    m[i] = mi;
    v[i] = vi;
    w[i] = f(f(f(f(mi / c1) / f(f(Math.sqrt(f(vi / c2))) + eps)) * negLr) + (w[i] as number));
  }
}
