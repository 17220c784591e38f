// Keras `AdditiveAttention` (Bahdanau-style): scores Σ scale · tanh(q + k) over the feature axis.
import * as tf from '@tensorflow/tfjs';
import { type BaseAttentionArgs, BaseDenseAttention, attentionScores } from './attention';

/** Constructor arguments of {@link AdditiveAttention}. */
export type AdditiveAttentionArgs = BaseAttentionArgs;

/**
 * Keras `AdditiveAttention` over `[query, value]` or `[query, value, key]` (query and key of the same
 * dim). Weight (Keras name): `scale` `[dim]`, glorot-uniform, when `useScale`.
 */
export class AdditiveAttention extends BaseDenseAttention {
  static className = 'AdditiveAttention';
  private scaleWeight: tf.LayerVariable | null = null;

  constructor(args: AdditiveAttentionArgs = {}) {
    super(args);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [q] = this.shapes(inputShape) as [tf.Shape];
    const dim = q[2] as number;
    if (this.useScale) this.scaleWeight = this.addWeight('scale', [dim], 'float32', tf.initializers.glorotUniform({}));
    this.built = true;
  }

  protected rawScores(query: tf.Tensor, key: tf.Tensor): tf.Tensor3D {
    return this.scaleWeight
      ? attentionScores(query, key, { mode: 'additive', scale: this.scaleWeight.read() }) // [batch, Tq, Tv]
      : attentionScores(query, key, { mode: 'additive' }); // [batch, Tq, Tv]
  }
}

/** Factory for {@link AdditiveAttention}. */
export function additiveAttention(args: AdditiveAttentionArgs = {}): AdditiveAttention {
  return new AdditiveAttention(args);
}
