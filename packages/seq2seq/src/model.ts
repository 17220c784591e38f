// Owns the encoder-decoder model (OpenNMT-py `NMTModel`): the variables and the config, the training
// loss, and the choice of stepper (fused or composite) the decoding strategies drive.
import * as tf from '@tensorflow/tfjs';
import { fusedDenseSoftmaxCrossEntropy, fusedKernelsAvailable } from '@rnnkit/core';
import { resolveConfig, type ResolvedConfig, type Seq2SeqConfig } from './config';
import { createParams, type ModelParams } from './params';
import { encode } from './encoder';
import { prepareKeys } from './attention';
import { outputLogits, teacherForce } from './decoder';
import type { Stepper } from './decode/types';
import { CompositeStepper } from './decode/compositeStepper';
import { FusedStepper, fusedDecodingAvailable } from './decode/fusedStepper';

/** A padded parallel batch: ids int32 and masks float 0/1. `tgtIn` starts with `<bos>`, `tgtOut` ends with `<eos>`. */
export interface Seq2SeqBatch {
  src: tf.Tensor2D; // [batch, srcLen]
  srcMask: tf.Tensor2D; // [batch, srcLen]
  tgtIn: tf.Tensor2D; // [batch, T]
  tgtOut: tf.Tensor2D; // [batch, T]
  tgtMask: tf.Tensor2D; // [batch, T]
}

export interface LossOptions {
  /** Label smoothing epsilon (uniform over the target vocabulary). Default 0. */
  labelSmoothing?: number;
  training?: boolean;
}

/** An attention encoder-decoder (see {@link Seq2SeqConfig}). */
export class Seq2Seq {
  readonly config: ResolvedConfig;
  readonly params: ModelParams;

  constructor(config: Seq2SeqConfig, weights?: Map<string, tf.Tensor>) {
    this.config = resolveConfig(config);
    this.params = createParams(this.config, weights);
  }

  /** Exactly the constructor's config argument (defaults filled in). */
  getConfig(): ResolvedConfig {
    return { ...this.config };
  }

  /** Trainable variables in save order. */
  get variables(): tf.Variable[] {
    return [...this.params.all.values()];
  }

  /** Number of trained values. */
  countParams(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** Mean token cross-entropy of the batch (padding masked, optional label smoothing); a scalar. */
  loss(b: Seq2SeqBatch, opts: LossOptions = {}): tf.Scalar {
    const c = this.config;
    const p = this.params;
    const eps = opts.labelSmoothing ?? 0;
    const training = opts.training ?? false;
    return tf.tidy(() => {
      const enc = encode(c, p, b.src, b.srcMask, training);
      const keys = prepareKeys(c.attention, p, enc.memory, enc.mask);
      const { attnVecs } = teacherForce(c, p, keys, enc.state, b.tgtIn, training); // [batch, T, H]
      if (eps === 0 && p.outKernel && fusedKernelsAvailable()) {
        return fusedDenseSoftmaxCrossEntropy(attnVecs, p.outKernel, p.outBias, b.tgtOut, { weights: b.tgtMask });
      }
      const logp = tf.logSoftmax(outputLogits(p, attnVecs)); // [batch, T, V]
      const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(tf.cast(b.tgtOut, 'int32'), c.tgtVocabSize)), -1)); // [batch, T]
      const perTok = eps > 0 ? tf.add(tf.mul(1 - eps, nll), tf.mul(eps, tf.neg(tf.mean(logp, -1)))) : nll; // [batch, T]
      return tf.div(tf.sum(tf.mul(perTok, b.tgtMask)), tf.maximum(tf.sum(b.tgtMask), 1)) as tf.Scalar;
    });
  }

  /** Summed token NLL (nats) and token count of a batch, without gradients (for perplexity). */
  evaluate(b: Seq2SeqBatch): { nll: number; tokens: number } {
    const tokens = tf.tidy(() => tf.sum(b.tgtMask).dataSync()[0] as number);
    const mean = tf.tidy(() => this.loss(b).dataSync()[0] as number);
    return { nll: mean * tokens, tokens };
  }

  /**
   * Encodes a source batch and returns a {@link Stepper} for the decoding strategies: fused WebAssembly
   * decoder steps on CPU backends (core's kernel mode), composite tfjs ops elsewhere.
   */
  stepper(src: tf.Tensor2D, srcMask: tf.Tensor2D): Stepper {
    return fusedDecodingAvailable() ? new FusedStepper(this.config, this.params, src, srcMask) : new CompositeStepper(this.config, this.params, src, srcMask);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Factory for {@link Seq2Seq}, beside the class as `tf.layers.*` factories are. */
export function seq2seq(config: Seq2SeqConfig): Seq2Seq {
  return new Seq2Seq(config);
}
