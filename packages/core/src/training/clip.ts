// Gradient clipping with TensorFlow's and Keras's semantics (`tf.clip_by_global_norm`,
// `tf.clip_by_norm`, `tf.clip_by_value`; Keras optimizers' `global_clipnorm`, `clipnorm`, `clipvalue`),
// and a wrapper that adds clipping to any tfjs optimizer.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { markRowSparse, rowSparseGradientRows } from '../kernels/embedding';

/** A gradient with the name of its variable, as `optimizer.applyGradients` accepts them. */
export interface NamedGradient {
  name: string;
  tensor: tf.Tensor;
}

/**
 * The gradient collections the clipping functions accept: a list of tensors (`null`/`undefined`
 * entries, TensorFlow's `None`, are passed through), a `{ [variableName]: tensor }` map as returned by
 * `optimizer.computeGradients` / `tf.variableGrads`, or a list of `{ name, tensor }`.
 */
export type Gradients = Array<tf.Tensor | null | undefined> | tf.NamedTensorMap | NamedGradient[];

/** The result of {@link clipByGlobalNorm}: clipped gradients (same structure) and the norm before clipping. */
export interface ClipByGlobalNormResult<G extends Gradients> {
  grads: G;
  /** sqrt of the sum of squares of every element of every gradient, before clipping. Caller disposes. */
  globalNorm: tf.Scalar;
}

function isNamedGradient(x: unknown): x is NamedGradient {
  return x != null && typeof x === 'object' && !(x instanceof tf.Tensor) && 'tensor' in x && 'name' in x;
}

/** The tensors of a gradient collection, in order (`null` where a gradient is missing). */
function tensorsOf(grads: Gradients): Array<tf.Tensor | null> {
  if (Array.isArray(grads)) return grads.map((g) => (g == null ? null : isNamedGradient(g) ? g.tensor : g));
  return Object.keys(grads).map((k) => grads[k] ?? null);
}

/** Rebuilds a collection of the same structure as `grads` from new tensors in the same order. */
function rebuild<G extends Gradients>(grads: G, tensors: Array<tf.Tensor | null>): G {
  if (Array.isArray(grads)) {
    return grads.map((g, i) => {
      const t = tensors[i] ?? null;
      if (g == null) return g;
      return isNamedGradient(g) ? { name: g.name, tensor: t } : t;
    }) as G;
  }
  const out: tf.NamedTensorMap = {};
  Object.keys(grads).forEach((k, i) => {
    const t = tensors[i];
    if (t != null) out[k] = t;
  });
  return out as G;
}

function checkPositive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} to be a positive finite number. Received: ${name}=${describeValue(value)}`);
  }
}

/**
 * Maps `fn` over the non-null tensors inside one `tf.tidy`, keeping the collection's structure. Every
 * clipping function maps zero to zero, so a row-sparse gradient (an embedding table's) stays row-sparse.
 */
function mapGradients<G extends Gradients>(grads: G, fn: (t: tf.Tensor) => tf.Tensor): G {
  const tensors = tensorsOf(grads);
  const present = tf.tidy(() => tensors.filter((t): t is tf.Tensor => t != null).map(fn));
  tensors.filter((t): t is tf.Tensor => t != null).forEach((t, i) => {
    const rows = rowSparseGradientRows(t);
    if (rows) markRowSparse(present[i] as tf.Tensor, rows);
  });
  let j = 0;
  return rebuild(grads, tensors.map((t) => (t == null ? null : (present[j++] as tf.Tensor))));
}

/**
 * The global norm of a gradient collection: sqrt(sum over all tensors of sum(t^2)), as TensorFlow's
 * `tf.linalg.global_norm`. Missing (`null`) gradients are skipped. Returns a new scalar.
 */
export function globalNorm(grads: Gradients): tf.Scalar {
  const tensors = tensorsOf(grads).filter((t): t is tf.Tensor => t != null);
  return tf.tidy(() => {
    if (tensors.length === 0) return tf.scalar(0);
    const sums = tensors.map((t) => tf.sum(tf.square(tf.cast(t, 'float32')))); // each []
    return tf.sqrt(tf.addN(sums)) as tf.Scalar; // []
  });
}

/**
 * Scales every gradient by `clipNorm / max(globalNorm, clipNorm)`, TensorFlow's
 * `tf.clip_by_global_norm(t_list, clip_norm)`: gradients whose global norm is at most `clipNorm` are
 * returned unchanged (as new tensors); a non-finite global norm makes every clipped value NaN, as in TF.
 * The input tensors are not disposed; the caller owns both the clipped gradients and `globalNorm`.
 *
 * @param grads a list of tensors, a `NamedTensorMap`, or a list of `{ name, tensor }`
 * @param clipNorm a positive number
 */
export function clipByGlobalNorm<G extends Gradients>(grads: G, clipNorm: number): ClipByGlobalNormResult<G> {
  checkPositive('clipNorm', clipNorm);
  const norm = globalNorm(grads);
  const scale = tf.tidy(() => {
    // clip_norm * min(1 / norm, 1 / clip_norm), plus (norm - norm) so that inf / NaN norms give NaN.
    const finite = tf.mul(clipNorm, tf.minimum(tf.div(1, norm), 1 / clipNorm)); // []
    return tf.add(finite, tf.sub(norm, norm)); // []
  });
  const clipped = mapGradients(grads, (t) => tf.mul(t, scale));
  scale.dispose();
  return { grads: clipped, globalNorm: norm };
}

/**
 * Scales each gradient separately so that its own L2 norm is at most `clipNorm`, TensorFlow's
 * `tf.clip_by_norm` and Keras optimizers' `clipnorm`: `t * clipNorm / max(norm(t), clipNorm)`.
 * Returns new tensors in the same structure; the inputs are not disposed.
 */
export function clipByNorm<G extends Gradients>(grads: G, clipNorm: number): G {
  checkPositive('clipNorm', clipNorm);
  return mapGradients(grads, (t) => {
    const l2sum = tf.sum(tf.square(t)); // []
    const l2norm = tf.sqrt(l2sum); // []
    return tf.div(tf.mul(t, clipNorm), tf.maximum(l2norm, clipNorm));
  });
}

/**
 * Clips every element of every gradient to `[-clipValue, clipValue]`, Keras optimizers' `clipvalue`
 * (TensorFlow's `tf.clip_by_value(t, -clipValue, clipValue)`). Returns new tensors in the same
 * structure; the inputs are not disposed.
 */
export function clipByValue<G extends Gradients>(grads: G, clipValue: number): G {
  checkPositive('clipValue', clipValue);
  return mapGradients(grads, (t) => tf.clipByValue(t, -clipValue, clipValue));
}

/** Options of {@link withGradientClipping}; exactly one must be set, as in Keras optimizers. */
export interface GradientClippingOptions {
  /** Clip each gradient separately to this L2 norm (Keras `clipnorm`). */
  clipNorm?: number;
  /** Clip each gradient element to `[-clipValue, clipValue]` (Keras `clipvalue`). */
  clipValue?: number;
  /** Clip all gradients together to this global norm (Keras `global_clipnorm`). */
  globalClipNorm?: number;
}

/**
 * A tfjs optimizer that clips the gradients, then hands them to the wrapped optimizer. Everything else
 * (iterations, weights, config, class name for saving) is the wrapped optimizer's; the clipping
 * options are not part of a saved model's optimizer config.
 */
export class ClippedOptimizer extends tf.Optimizer {
  static className = 'ClippedOptimizer';
  readonly inner: tf.Optimizer;
  readonly clipping: Readonly<GradientClippingOptions>;

  constructor(inner: tf.Optimizer, clipping: GradientClippingOptions) {
    super();
    if (!(inner instanceof tf.Optimizer)) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected optimizer to be a tf.Optimizer instance. Received: ${describeValue(inner)}`);
    }
    const set = (['clipNorm', 'clipValue', 'globalClipNorm'] as const).filter((k) => clipping[k] != null);
    if (set.length !== 1) {
      throw new RnnkitError(
        'INVALID_ARGUMENT',
        `Expected exactly one of clipNorm, clipValue and globalClipNorm to be set. Received: ${describeValue(clipping)}`,
      );
    }
    for (const k of set) checkPositive(k, clipping[k] as number);
    this.inner = inner;
    this.clipping = { ...clipping };
  }

  /** Clips the gradients (without disposing the caller's), then applies them with the wrapped optimizer. */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedGradient[]): void {
    const { clipNorm, clipValue, globalClipNorm } = this.clipping;
    let clipped: tf.NamedTensorMap | NamedGradient[];
    if (globalClipNorm != null) {
      const r = clipByGlobalNorm(variableGradients, globalClipNorm);
      r.globalNorm.dispose();
      clipped = r.grads;
    } else if (clipNorm != null) {
      clipped = clipByNorm(variableGradients, clipNorm);
    } else {
      clipped = clipByValue(variableGradients, clipValue as number);
    }
    try {
      this.inner.applyGradients(clipped);
    } finally {
      tf.dispose(tensorsOf(clipped).filter((t): t is tf.Tensor => t != null));
    }
  }

  override get iterations(): number {
    return this.inner.iterations;
  }

  override getWeights(): Promise<NamedGradient[]> {
    return this.inner.getWeights();
  }

  override setWeights(weightValues: NamedGradient[]): Promise<void> {
    return this.inner.setWeights(weightValues);
  }

  override dispose(): void {
    this.inner.dispose();
  }

  override getClassName(): string {
    return this.inner.getClassName();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return this.inner.getConfig();
  }
}

/**
 * Wraps any tfjs optimizer so that `applyGradients` (and so `minimize` and `model.fit`) clips the
 * gradients first, as Keras optimizers do with `clipnorm`, `clipvalue` or `global_clipnorm`:
 *
 * ```ts
 * model.compile({ optimizer: withGradientClipping(tf.train.adam(1e-3), { globalClipNorm: 1 }), loss: 'mse' });
 * ```
 */
export function withGradientClipping(optimizer: tf.Optimizer, options: GradientClippingOptions): ClippedOptimizer {
  return new ClippedOptimizer(optimizer, options);
}
