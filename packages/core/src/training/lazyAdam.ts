// LazyAdam (TensorFlow Addons `tfa.optimizers.LazyAdam`): Adam that, for a row-sparse gradient (an
// embedding table's), updates the moments and the weights of the rows the gradient touched only.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { rowSparseGradientRows } from '../kernels/embedding';
import { f32View } from '../kernels/tensorData';
import type { NamedGradient } from './clip';

/** Constructor arguments of {@link LazyAdam}; the defaults are `tf.train.adam`'s. */
export interface LazyAdamArgs {
  /** Default 0.001. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default the backend's epsilon (1e-7 on cpu / wasm), as `tf.train.adam`. */
  epsilon?: number;
}

/** Moments of one variable, kept in JavaScript memory (the updates run on the CPU). */
interface Slot {
  m: Float32Array;
  v: Float32Array;
}

function checkRate(name: string, v: number, lo: number, hi: number, open: boolean): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || (open ? v >= hi : v > hi)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} in [${lo}, ${hi}${open ? ')' : ']'}. Received: ${name}=${describeValue(v)}`);
  }
}

/**
 * Adam with lazy updates for row-sparse gradients, as TensorFlow Addons' `LazyAdam`: when the gradient of
 * a variable is an embedding table's gradient from `fusedEmbeddingLookup` (the lookup of
 * `@rnnkit/text`'s `Embedding`, or `withGradientClipping` applied to one), only the rows the batch used
 * are updated: their first and second moments and their weights. Every other gradient gets the dense
 * Adam update of `tf.train.adam` (same formula: `w -= lr * m̂ / (sqrt(v̂) + epsilon)`, bias-corrected
 * moments).
 *
 * Semantics differ from dense Adam only for rows a batch did not touch: dense Adam decays their moments
 * (`m *= beta1`, `v *= beta2`) and keeps moving their weights by the remaining momentum; LazyAdam leaves
 * the row, its moments and its weights exactly as they were. (Rows are "touched" when an id of the batch
 * selected them, even if their summed gradient is zero.) The cost of a step is O(touched rows × dim) for
 * the arithmetic plus one copy of the table, instead of O(vocabulary × dim) arithmetic over several
 * tensor operations.
 *
 * The moments live in JavaScript memory and the weights are read and written on the CPU: meant for the
 * `cpu`, `wasm` and `tensorflow` backends (on GPU backends it works but reads every variable back each
 * step). `getWeights()` / `setWeights()` use Adam's layout (`iter`, then every `name/m`, then every
 * `name/v`).
 */
export class LazyAdam extends tf.Optimizer {
  static className = 'LazyAdam';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly slots = new Map<string, Slot>();
  /** Tensors handed out by the last getWeights() (disposed by the next call and by dispose()). */
  private exported: tf.Tensor[] = [];

  constructor(args: LazyAdamArgs = {}) {
    super();
    this.learningRate = args.learningRate ?? 0.001;
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? tf.backend().epsilon();
    checkRate('learningRate', this.learningRate, 0, Infinity, false);
    checkRate('beta1', this.beta1, 0, 1, true);
    checkRate('beta2', this.beta2, 0, 1, true);
    checkRate('epsilon', this.epsilon, 0, Infinity, false);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedGradient[]): void {
    const named: NamedGradient[] = Array.isArray(variableGradients) ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] as tf.Tensor }));
    const step = this.iterations + 1;
    const c1 = 1 - this.beta1 ** step;
    const c2 = 1 - this.beta2 ** step;
    const registered = tf.engine().registeredVariables;
    for (const { name, tensor: g } of named) {
      if (g == null) continue;
      const variable = registered[name];
      if (!variable) throw new RnnkitError('INVALID_ARGUMENT', `Expected a registered variable. Received: name=${describeValue(name)}`);
      if (g.size !== variable.size) {
        throw new RnnkitError('INVALID_SHAPE', `Expected the gradient of ${name} to have shape ${JSON.stringify(variable.shape)}. Received: ${JSON.stringify(g.shape)}`);
      }
      let slot = this.slots.get(name);
      if (!slot) {
        slot = { m: new Float32Array(variable.size), v: new Float32Array(variable.size) };
        this.slots.set(name, slot);
      }
      const rows = variable.rank === 2 ? rowSparseGradientRows(g) : undefined;
      // The gradient's view is read before the next tfjs operation (the tensor below), as f32View requires.
      // The weights get new data, never a write into the old: tfjs-wasm keeps what it derives from a tensor
      // by tensor id (its matMul packs the weights once), so a write in place would go unseen there.
      const gv = f32View(g);
      const w = f32View(variable).slice();
      if (rows) {
        const D = variable.shape[1] as number;
        for (let r = 0; r < rows.length; r++) {
          const o = (rows[r] as number) * D;
          this.update(slot, gv, w, o, o + D, c1, c2);
        }
      } else {
        this.update(slot, gv, w, 0, w.length, c1, c2);
      }
      const next = tf.tensor(w, variable.shape, 'float32');
      variable.assign(next);
      next.dispose();
    }
    this.incrementIterations();
  }

  /** Adam on elements [from, to): the moments, then the weights (tf.train.adam's formula). */
  private update(slot: Slot, g: Float32Array, w: Float32Array, from: number, to: number, c1: number, c2: number): void {
    const { m, v } = slot;
    const { beta1: b1, beta2: b2, learningRate: lr, epsilon: eps } = this;
    for (let i = from; i < to; i++) {
      const gi = g[i] as number;
      const mi = b1 * (m[i] as number) + (1 - b1) * gi;
      const vi = b2 * (v[i] as number) + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = (w[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
    }
  }

  override async getWeights(): Promise<NamedGradient[]> {
    tf.dispose(this.exported);
    const names = [...this.slots.keys()];
    const shapeOf = (name: string) => tf.engine().registeredVariables[name]?.shape ?? [this.slots.get(name)?.m.length ?? 0];
    const m = names.map((n) => ({ name: `${n}/m`, tensor: tf.tensor((this.slots.get(n) as Slot).m.slice(), shapeOf(n)) }));
    const v = names.map((n) => ({ name: `${n}/v`, tensor: tf.tensor((this.slots.get(n) as Slot).v.slice(), shapeOf(n)) }));
    const iter = await this.saveIterations();
    this.exported = [iter.tensor, ...m.map((x) => x.tensor), ...v.map((x) => x.tensor)];
    return [iter, ...m, ...v];
  }

  override async setWeights(weightValues: NamedGradient[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    if (rest.length % 2 !== 0) {
      throw new RnnkitError('WEIGHT_MISMATCH', `Expected an even number of moment tensors (m and v per variable). Received: ${rest.length}`);
    }
    const n = rest.length / 2;
    this.slots.clear();
    for (let i = 0; i < n; i++) {
      const m = rest[i] as NamedGradient;
      const v = rest[n + i] as NamedGradient;
      const name = m.name.replace(/\/m$/, '');
      if (v.name !== `${name}/v` || m.tensor.size !== v.tensor.size) {
        throw new RnnkitError('WEIGHT_MISMATCH', `Expected ${name}/m and ${name}/v of one size. Received: ${m.name} (${m.tensor.size}) and ${v.name} (${v.tensor.size})`);
      }
      this.slots.set(name, { m: Float32Array.from(m.tensor.dataSync()), v: Float32Array.from(v.tensor.dataSync()) });
    }
  }

  override dispose(): void {
    tf.dispose(this.exported);
    this.exported = [];
    this.slots.clear();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict): T {
    return new cls(config as unknown as LazyAdamArgs as never);
  }
}

/** Creates a {@link LazyAdam} optimizer (the `tf.train.adam(learningRate, beta1, beta2, epsilon)` form). */
export function lazyAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): LazyAdam {
  return new LazyAdam({ learningRate, beta1, beta2, epsilon });
}
