// Dot-product / concat attention (Keras `Attention`) and the pure score functions shared with
// AdditiveAttention and the seq2seq attention modules (Luong dot / general / concat, Bahdanau).
// Semantics follow Keras 3 `keras.layers.Attention` (identical to tf.keras 2.x for these options).
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';

/** How scores are computed: `dot` q·k (Luong), `concat` Σ tanh(q + k) (Keras), `additive` Σ s·tanh(q + k) (Bahdanau). */
export type AttentionScoreMode = 'dot' | 'concat' | 'additive';

/** Options of {@link attentionScores}. */
export interface AttentionScoreOptions {
  /** Score function. Default `dot`. */
  mode?: AttentionScoreMode;
  /** `dot`: scalar multiplying the scores; `concat`: scalar inside the tanh; `additive`: `[dim]` weights. */
  scale?: tf.Tensor | number;
  /** `concat` only: scalar multiplying the summed tanh (Keras `concat_score_weight`). Default 1. */
  concatScoreWeight?: tf.Tensor | number;
  /** Value mask, true = attend: `[batch, Tv]` or `[batch, Tq, Tv]`. */
  mask?: tf.Tensor;
  /** Hide future positions: query step i attends to value steps j <= i. */
  causal?: boolean;
}

/** Large number subtracted from the scores of masked positions (Keras uses 1e9 for float32). */
export const MASK_PENALTY = 1e9;

/**
 * Attention scores `[batch, Tq, Tv]` of `query` `[batch, Tq, dim]` against `key` `[batch, Tv, dim]`,
 * with masked positions lowered by {@link MASK_PENALTY} (exactly as Keras does, so a fully masked row
 * becomes uniform after the softmax).
 */
export function attentionScores(query: tf.Tensor, key: tf.Tensor, options: AttentionScoreOptions = {}): tf.Tensor3D {
  const mode = options.mode ?? 'dot';
  return tf.tidy(() => {
    let scores: tf.Tensor;
    if (mode === 'dot') {
      scores = tf.matMul(query as tf.Tensor3D, key as tf.Tensor3D, false, true); // [batch, Tq, Tv]
      if (options.scale !== undefined) scores = tf.mul(scores, options.scale);
    } else {
      const q = tf.expandDims(query, -2); // [batch, Tq, 1, dim]
      const k = tf.expandDims(key, -3); // [batch, 1, Tv, dim]
      let sum = tf.add(q, k); // [batch, Tq, Tv, dim]
      if (mode === 'concat') {
        if (options.scale !== undefined) sum = tf.mul(options.scale, sum);
        scores = tf.sum(tf.tanh(sum), -1); // [batch, Tq, Tv]
        if (options.concatScoreWeight !== undefined) scores = tf.mul(options.concatScoreWeight, scores);
      } else {
        let t = tf.tanh(sum); // [batch, Tq, Tv, dim]
        if (options.scale !== undefined) t = tf.mul(options.scale, t);
        scores = tf.sum(t, -1); // [batch, Tq, Tv]
      }
    }
    const mask = scoreMask(scores.shape as [number, number, number], options.mask, options.causal ?? false);
    return (mask ? applyScoreMask(scores, mask) : scores) as tf.Tensor3D;
  });
}

/** The combined value / causal mask `[batch|1, Tq|1, Tv]` (bool), or null when nothing is masked. */
export function scoreMask(scoresShape: [number, number, number], valueMask: tf.Tensor | undefined, causal: boolean): tf.Tensor | null {
  if (!valueMask && !causal) return null;
  return tf.tidy(() => {
    const value = valueMask ? (valueMask.rank === 2 ? tf.expandDims(tf.cast(valueMask, 'bool'), 1) : tf.cast(valueMask, 'bool')) : null; // [batch, 1|Tq, Tv]
    if (!causal) return value as tf.Tensor;
    const [, tq, tv] = scoresShape;
    const rows = tf.reshape(tf.range(0, tq, 1, 'int32'), [tq, 1]); // [Tq, 1]
    const cols = tf.reshape(tf.range(0, tv, 1, 'int32'), [1, tv]); // [1, Tv]
    const lower = tf.expandDims(tf.greaterEqual(rows, cols), 0); // [1, Tq, Tv]
    return value ? tf.logicalAnd(value, lower) : lower;
  });
}

/** `scores - 1e9 * !mask`: Keras's masking, kept in the scores' float32 precision. */
export function applyScoreMask(scores: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(scores, tf.mul(tf.scalar(MASK_PENALTY), tf.cast(tf.logicalNot(tf.cast(mask, 'bool')), scores.dtype))));
}

/**
 * Softmax weights `[batch, Tq, Tv]` (after `dropout`, if any, as Keras returns them) and the context
 * `weights · value` `[batch, Tq, dimV]`.
 */
export function attendScores(scores: tf.Tensor, value: tf.Tensor, dropout = 0): { context: tf.Tensor3D; weights: tf.Tensor3D } {
  return tf.tidy(() => {
    const softmax = tf.softmax(scores, -1); // [batch, Tq, Tv]
    const weights = (dropout > 0 ? tf.dropout(softmax, dropout) : softmax) as tf.Tensor3D; // [batch, Tq, Tv]
    const context = tf.matMul(weights, value as tf.Tensor3D) as tf.Tensor3D; // [batch, Tq, dimV]
    return { context, weights };
  });
}

/** Constructor arguments shared by {@link Attention} and AdditiveAttention. */
export interface BaseAttentionArgs {
  /** Learn a scale for the scores (Keras `use_scale`). Default false. */
  useScale?: boolean;
  /** Dropout rate on the attention weights during training. Default 0. */
  dropout?: number;
  /** Hide future value steps (Keras 3 call option `use_causal_mask`; Keras 2's `causal`). Default false. */
  useCausalMask?: boolean;
  /** Also output the attention weights `[batch, Tq, Tv]` (Keras call option). Default false. */
  returnAttentionScores?: boolean;
  /** Keras 2 name of `useCausalMask`. */
  causal?: boolean;
  /** Keras 3 seed for dropout; kept for round trips. */
  seed?: number | null;
  name?: string;
  trainable?: boolean;
  dtype?: tf.DataType;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
}

/** Constructor arguments of {@link Attention}. */
export interface AttentionArgs extends BaseAttentionArgs {
  /** `dot` (default) or `concat`. */
  scoreMode?: 'dot' | 'concat';
}

type Kwargs = { mask?: tf.Tensor | Array<tf.Tensor | null | undefined> | null; training?: boolean; useCausalMask?: boolean };

/** Shared machinery: inputs `[query, value]` or `[query, value, key]`, masks, outputs. */
export abstract class BaseDenseAttention extends tf.layers.Layer {
  readonly useScale: boolean;
  readonly dropout: number;
  readonly useCausalMask: boolean;
  readonly returnAttentionScores: boolean;
  readonly seed: number | null;

  constructor(args: BaseAttentionArgs = {}) {
    super(args);
    this.useScale = args.useScale ?? false;
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected dropout to be in [0, 1). Received: dropout=${describeValue(args.dropout)}`);
    }
    this.useCausalMask = args.useCausalMask ?? args.causal ?? false;
    this.returnAttentionScores = args.returnAttentionScores ?? false;
    this.seed = args.seed ?? null;
    this.supportsMasking = true;
  }

  /** Scores `[batch, Tq, Tv]` before masking. */
  protected abstract rawScores(query: tf.Tensor, key: tf.Tensor): tf.Tensor3D;

  protected shapes(inputShape: tf.Shape | tf.Shape[]): tf.Shape[] {
    const shapes = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[]) : null;
    if (!shapes || shapes.length < 2 || shapes.length > 3 || shapes.some((s) => s.length !== 3)) {
      throw new RnnkitError(
        'INVALID_SHAPE',
        `${this.getClassName()} expects inputs [query, value] or [query, value, key], each of rank 3 [batch, steps, dim]. Received shapes: ${describeValue(inputShape)}`,
      );
    }
    return shapes;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const [q, v] = this.shapes(inputShape) as [tf.Shape, tf.Shape];
    const out: tf.Shape = [q[0] ?? null, q[1] ?? null, v[2] ?? null];
    return this.returnAttentionScores ? [out, [q[0] ?? null, q[1] ?? null, v[1] ?? null]] : out;
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const q = Array.isArray(mask) ? (mask[0] ?? null) : null;
    return (this.returnAttentionScores ? [q, null] : q) as tf.Tensor; // the query mask passes through
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.shapes(list.map((t) => t.shape));
    const [query, value, key = value] = list as [tf.Tensor, tf.Tensor, tf.Tensor?];
    // A list of masks [query, value] from a model graph / caller; a single tensor is tfjs's executor
    // passing only the first input's (the query's) mask.
    const masks = Array.isArray(kwargs?.mask) ? kwargs.mask : kwargs?.mask ? [kwargs.mask] : [];
    const queryMask = masks[0] ?? undefined;
    const valueMask = masks[1] ?? undefined;
    const causal = kwargs?.useCausalMask ?? this.useCausalMask;
    const dropout = kwargs?.training ? this.dropout : 0;
    return tf.tidy(() => {
      const raw = this.rawScores(query, key as tf.Tensor); // [batch, Tq, Tv]
      const mask = scoreMask(raw.shape, valueMask, causal);
      const scores = mask ? applyScoreMask(raw, mask) : raw; // [batch, Tq, Tv]
      const { context, weights } = attendScores(scores, value, dropout);
      const out = queryMask ? tf.mul(context, tf.expandDims(tf.cast(queryMask, context.dtype), -1)) : context; // [batch, Tq, dimV]
      return this.returnAttentionScores ? [out, weights] : out;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      useScale: this.useScale,
      dropout: this.dropout,
      useCausalMask: this.useCausalMask,
      returnAttentionScores: this.returnAttentionScores,
    };
    if (this.seed !== null) config['seed'] = this.seed;
    return { ...super.getConfig(), ...config };
  }
}

/**
 * Keras `Attention`: dot-product (Luong) or concat attention over `[query, value]` or
 * `[query, value, key]`. Weights (Keras names and order): `scale` (useScale), `concat_score_weight`
 * (scoreMode 'concat'), both scalars initialized to one.
 */
export class Attention extends BaseDenseAttention {
  static className = 'Attention';
  readonly scoreMode: 'dot' | 'concat';
  private scaleWeight: tf.LayerVariable | null = null;
  private concatWeight: tf.LayerVariable | null = null;

  constructor(args: AttentionArgs = {}) {
    super(args);
    const mode = args.scoreMode ?? 'dot';
    if (mode !== 'dot' && mode !== 'concat') {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected scoreMode to be "dot" or "concat". Received: scoreMode=${describeValue(mode)}`);
    }
    this.scoreMode = mode;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.shapes(inputShape);
    if (this.useScale) this.scaleWeight = this.addWeight('scale', [], 'float32', tf.initializers.ones());
    if (this.scoreMode === 'concat') this.concatWeight = this.addWeight('concat_score_weight', [], 'float32', tf.initializers.ones());
    this.built = true;
  }

  protected rawScores(query: tf.Tensor, key: tf.Tensor): tf.Tensor3D {
    const options: AttentionScoreOptions = { mode: this.scoreMode };
    if (this.scaleWeight) options.scale = this.scaleWeight.read();
    if (this.concatWeight) options.concatScoreWeight = this.concatWeight.read();
    return attentionScores(query, key, options);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scoreMode: this.scoreMode };
  }
}

/** Factory for {@link Attention}, as `tf.layers.*` factories are. */
export function attention(args: AttentionArgs = {}): Attention {
  return new Attention(args);
}
