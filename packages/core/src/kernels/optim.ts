// Adam's update run in the kernels (assembly/optim.ts) on float32 vectors that live outside them (tfjs's
// heap, JavaScript arrays): copied into the workspace and updated there; the caller takes the results. tf.train.adam spends ~10
// tfjs operations per variable, each a pass over memory and an allocation; this is one pass, split across
// the two threads when the vector is large.
import { workspaceOf } from './gemm';
import { callRecorder, poolFor, runWithWorker } from './threads';
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

/** Vectors at least this long are split across the two threads (below it the hand-off costs more). */
export const ADAM_SPLIT_MIN = 1 << 16;

/** Views of one Adam step's results in the kernels' memory, valid until the next kernel call. */
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
  s: AdamStepScalars, k: KernelExports = kernels()): AdamStepResult {
  const n = w.length;
  const f = Math.fround;
  const args = [f(s.beta1), f(1 - s.beta1), f(s.beta2), f(1 - s.beta2), f(s.c1), f(s.c2), f(s.epsilon), f(-s.learningRate)] as const;
  const ws = workspaceOf(k);
  ws.reset();
  const pw = ws.alloc(n);
  const pg = ws.alloc(n);
  const pm = ws.alloc(n);
  const pv = ws.alloc(n);
  ws.f32(pw, n).set(w);
  ws.f32(pg, n).set(g);
  ws.f32(pm, n).set(m);
  ws.f32(pv, n).set(v);
  if (n >= ADAM_SPLIT_MIN && poolFor(k)) {
    const h = Math.ceil(n / 8) * 4; // the worker's half starts on a 16-byte boundary
    const rec = callRecorder();
    rec.adamUpdate(n - h, pw + h * 4, pg + h * 4, pm + h * 4, pv + h * 4, ...args);
    runWithWorker(ws, rec, () => k.adamUpdate(h, pw, pg, pm, pv, ...args));
  } else {
    k.adamUpdate(n, pw, pg, pm, pv, ...args);
  }
  return { w: ws.f32(pw, n), m: ws.f32(pm, n), v: ws.f32(pv, n) };
}
