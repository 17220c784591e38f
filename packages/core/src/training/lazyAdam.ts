// LazyAdam (TensorFlow Addons `tfa.optimizers.LazyAdam`): Adam that, for a row-sparse gradient (an
// embedding table's), updates the moments and the weights of the rows the gradient touched only.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { rowSparseGradientRows } from '../kernels/embedding';
import { adamUpdateRange, adamUpdateVectors, stepwiseBetaPower } from '../kernels/optim';
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

/** Moments of one variable, kept in JavaScript memory (the updates run in the kernels, or in JavaScript for rows). */
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
 * Adam update of `tf.train.adam`, bit for bit (its float32 operations in order, in one pass of rnnkit's
 * kernels; `w -= lr * m̂ / (sqrt(v̂) + epsilon)`, bias-corrected moments); the touched rows get the same
 * arithmetic.
 *
 * Semantics differ from dense Adam only for rows a batch did not touch: dense Adam decays their moments
 * (`m *= beta1`, `v *= beta2`) and keeps moving their weights by the remaining momentum; LazyAdam leaves
 * the row, its moments and its weights exactly as they were. (Rows are "touched" when an id of the batch
 * selected them, even if their summed gradient is zero.) The cost of a step is O(touched rows × dim) for
 * the arithmetic plus a copy of the table (the weights get new data: see below), instead of
 * O(vocabulary × dim) arithmetic over several tensor operations.
 *
 * The moments live in JavaScript memory and the weights are read and written on the CPU: meant for the
 * `cpu`, `wasm` and `tensorflow` backends (on GPU backends it works but reads every variable back each
 * step). Each step gives a variable new data rather than writing into the old (tfjs-wasm keeps a matMul's
 * packed weights by tensor id, which a write in place would leave stale). `getWeights()` / `setWeights()`
 * use Adam's layout (`iter`, then every `name/m`, then every `name/v`).
 */
export class LazyAdam extends tf.Optimizer {
  static className = 'LazyAdam';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly slots = new Map<string, Slot>();
  /** beta1^t and beta2^t for the next step t, as tf.train.adam keeps them (float32, multiplied once per step). */
  private accBeta1: number;
  private accBeta2: number;
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
    this.accBeta1 = stepwiseBetaPower(this.beta1, 0);
    this.accBeta2 = stepwiseBetaPower(this.beta2, 0);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedGradient[]): void {
    const named: NamedGradient[] = Array.isArray(variableGradients) ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] as tf.Tensor }));
    // bias corrections as tf.train.adam computes them: 1 - beta^t from a float32 product kept step by step
    const scalars = { beta1: this.beta1, beta2: this.beta2, c1: Math.fround(1 - this.accBeta1), c2: Math.fround(1 - this.accBeta2),
      epsilon: this.epsilon, learningRate: this.learningRate };
    // wasm copies the array a tensor is made from into its heap at once; the cpu backend (and tfjs-node) keep it
    const wasm = tf.getBackend() === 'wasm';
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
      // The views of the gradient and the weights are read before the next tfjs operation (the tensor
      // below), as f32View requires. The weights get new data, never a write into the old: tfjs-wasm keeps
      // what it derives from a tensor by tensor id (its matMul packs the weights once), so a write in place
      // would go unseen there.
      let next: tf.Tensor;
      if (rows) {
        // The new table: on wasm a clone (one copy inside tfjs's heap) whose rows are written before any
        // operation reads it, when it is indeed a copy (its own memory); else a JavaScript copy.
        const fresh = wasm ? tf.clone(variable) : null;
        const own = fresh && f32View(fresh).byteOffset !== f32View(variable).byteOffset ? f32View(fresh) : null;
        if (fresh && !own) fresh.dispose();
        const w = own ?? f32View(variable).slice();
        const gv = f32View(g); // taken after the clone, which may have moved tfjs's heap
        const D = variable.shape[1] as number;
        for (let r = 0; r < rows.length; r++) {
          const o = (rows[r] as number) * D;
          adamUpdateRange(w, gv, slot.m, slot.v, o, o + D, scalars);
        }
        next = own ? (fresh as tf.Tensor) : tf.tensor(w, variable.shape, 'float32');
      } else {
        const out = adamUpdateVectors(f32View(variable), f32View(g), slot.m, slot.v, scalars);
        slot.m.set(out.m);
        slot.v.set(out.v);
        next = tf.tensor(wasm ? out.w : out.w.slice(), variable.shape, 'float32');
      }
      variable.assign(next);
      next.dispose();
    }
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.beta2));
    this.incrementIterations();
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
    // beta^(t+1) as the step-by-step product the saved optimizer had reached, so the restored one continues
    // exactly (tf.train.adam's setWeights takes a power instead, which may differ in the last bit)
    this.accBeta1 = stepwiseBetaPower(this.beta1, this.iterations);
    this.accBeta2 = stepwiseBetaPower(this.beta2, this.iterations);
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
