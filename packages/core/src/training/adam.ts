// rnnkit's Adam: tf.train.adam's optimizer (its class, moments, state layout and serialization) whose update
// of each variable runs in the kernels, one pass per variable instead of ~10 tfjs operations, on the backends
// that keep tensors in CPU memory; every weight and moment equals tf.train.adam's bit for bit.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { adamUpdateVectors, stepwiseBetaPower } from '../kernels/optim';
import { f32View } from '../kernels/tensorData';
import type { NamedGradient } from './clip';

/** The fields of tfjs's AdamOptimizer this class reads (private there; checked before use, see `ownState`). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
}

/** What tfjs's AdamOptimizer declares it takes (variables by name; it reads tensors, as every optimizer). */
type BaseGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** One variable's update. */
interface Item {
  value: tf.Variable;
  gradient: tf.Tensor;
  m: tf.Variable;
  v: tf.Variable;
}

function checkNumber(name: string, v: number, lo: number, hi: number, open: boolean): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || (open ? v >= hi : v > hi)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} in [${lo}, ${hi}${open ? ')' : ']'}. Received: ${name}=${describeValue(v)}`);
  }
}

/**
 * Adam, as `tf.train.adam` (it is a `tf.AdamOptimizer`: same constructor arguments, `getWeights` /
 * `setWeights` layout, `getConfig`, class name `Adam`), with each variable's update computed in rnnkit's
 * WebAssembly kernels in one pass on the `wasm` and `cpu` backends. The arithmetic is tf.train.adam's,
 * operation by operation in float32, so weights and moments are bit for bit the same. Elsewhere (`webgl`,
 * `tensorflow`) it runs tf.train.adam's own update. After `setWeights` it continues exactly as the saved
 * optimizer would have (see there).
 *
 * ```ts
 * model.compile({ optimizer: adam(1e-3), loss: 'binaryCrossentropy' });
 * ```
 */
export class Adam extends tf.AdamOptimizer {
  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    checkNumber('learningRate', learningRate, 0, Infinity, false);
    checkNumber('beta1', beta1, 0, 1, true);
    checkNumber('beta2', beta2, 0, 1, true);
    if (epsilon != null) checkNumber('epsilon', epsilon, 0, Infinity, false);
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedGradient[]): void {
    const st = this.ownState();
    const backend = tf.getBackend();
    if (!st || (backend !== 'wasm' && backend !== 'cpu')) {
      super.applyGradients(variableGradients as BaseGradients);
      return;
    }
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const items: Item[] = [];
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      if (!value) throw new RnnkitError('INVALID_ARGUMENT', `Expected a registered variable. Received: name=${describeValue(name)}`);
      // the moments are made as tf.train.adam makes them (same names, slots and order), so super's
      // update, getWeights and setWeights find them
      st.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      st.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
      if (gradient == null) return;
      if (!tf.util.arraysEqual(gradient.shape, value.shape)) {
        throw new RnnkitError('INVALID_SHAPE', `Expected the gradient of ${name} to have shape ${JSON.stringify(value.shape)}. Received: ${JSON.stringify(gradient.shape)}`);
      }
      items.push({ value, gradient, m: st.accumulatedFirstMoment[i].variable, v: st.accumulatedSecondMoment[i].variable });
    });
    if (items.some((it) => it.gradient.dtype !== 'float32' || it.value.dtype !== 'float32')) {
      super.applyGradients(variableGradients as BaseGradients);
      return;
    }
    // 1 - accBeta as tfjs's sub(1, accBeta) gives it: the float32 difference
    const c1 = Math.fround(1 - (st.accBeta1.dataSync()[0] as number));
    const c2 = Math.fround(1 - (st.accBeta2.dataSync()[0] as number));
    const scalars = { beta1: st.beta1, beta2: st.beta2, c1, c2, epsilon: st.epsilon, learningRate: st.learningRate };
    // the cpu backend keeps the array a tensor is made from; wasm copies it into its heap at once
    const own = backend === 'wasm' ? (a: Float32Array) => a : (a: Float32Array) => a.slice();
    for (const it of items) {
      // f32View's views of the backend's memory are read before the next tfjs operation (the kernels copy them in)
      const out = adamUpdateVectors(f32View(it.value), f32View(it.gradient), f32View(it.m), f32View(it.v), scalars);
      // new data for each variable, never a write into the old: tfjs-wasm caches what it derives from a
      // tensor (its matMul packs the weights once per tensor id), and other tensors may share the data
      for (const [variable, data] of [[it.value, out.w], [it.m, out.m], [it.v, out.v]] as const) {
        const next = tf.tensor(own(data), variable.shape, 'float32');
        variable.assign(next);
        next.dispose();
      }
    }
    tf.tidy(() => {
      st.accBeta1.assign(tf.mul(st.accBeta1, st.beta1));
      st.accBeta2.assign(tf.mul(st.accBeta2, st.beta2));
    });
    this.incrementIterations();
  }

  /**
   * tf.train.adam's setWeights, except for beta^t: it is rebuilt as the float32 product the saved optimizer had
   * reached step by step, so a restored optimizer continues bit for bit as the uninterrupted one (tf.train.adam
   * recomputes it as a power, which can differ in the last bit: a resumed training then drifts by ~1e-6).
   */
  override async setWeights(weightValues: NamedGradient[]): Promise<void> {
    await super.setWeights(weightValues as Parameters<tf.AdamOptimizer['setWeights']>[0]);
    const st = this.ownState();
    if (!st) return;
    tf.tidy(() => {
      st.accBeta1.assign(tf.scalar(stepwiseBetaPower(st.beta1, this.iterations)));
      st.accBeta2.assign(tf.scalar(stepwiseBetaPower(st.beta2, this.iterations)));
    });
  }

  /** tfjs's private state, when it has the shape this class was written against (else null: super's update). */
  private ownState(): AdamState | null {
    const st = this as unknown as Partial<AdamState>;
    const ok = st.accBeta1 instanceof tf.Variable && st.accBeta2 instanceof tf.Variable &&
      Array.isArray(st.accumulatedFirstMoment) && Array.isArray(st.accumulatedSecondMoment) &&
      typeof st.learningRate === 'number' && typeof st.beta1 === 'number' && typeof st.beta2 === 'number' &&
      typeof st.epsilon === 'number';
    return ok ? (st as AdamState) : null;
  }
}

/** Creates an {@link Adam} optimizer (the `tf.train.adam(learningRate, beta1, beta2, epsilon)` form). */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): Adam {
  return new Adam(learningRate, beta1, beta2, epsilon);
}
