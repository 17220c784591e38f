// The encoder-decoder: owns the variables and the config, computes the training loss and builds the
// step-wise decoder state used by the decoding strategies (OpenNMT-py `NMTModel`).
import * as tf from '@tensorflow/tfjs';
import { fusedDenseSoftmaxCrossEntropy, fusedKernelsAvailable } from '@rnnkit/core';
import { resolveConfig, type ResolvedConfig, type Seq2SeqConfig } from './config';
import { createParams, type ModelParams } from './params';
import { encode } from './encoder';
import { prepareKeys, type AttentionKeys } from './attention';
import { decoderStep, initialDecoderState, outputLogits, teacherForce, type DecoderState } from './decoder';
import type { Stepper, StepOutput } from './decode/types';
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
    return fusedDecodingAvailable() ? new FusedStepper(this.config, this.params, src, srcMask) : new ModelStepper(this, src, srcMask);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Step-wise decoder over a batch of encoded sources; rows can be reordered / expanded (beams). */
class ModelStepper implements Stepper {
  readonly vocabSize: number;
  readonly srcLen: number;
  private keys: AttentionKeys;
  private state: DecoderState;
  private nRows: number;
  /** Source index of each row. */
  private srcOf: Int32Array;

  constructor(private readonly model: Seq2Seq, src: tf.Tensor2D, srcMask: tf.Tensor2D) {
    const c = model.config;
    this.vocabSize = c.tgtVocabSize;
    this.srcLen = src.shape[1];
    this.nRows = src.shape[0];
    this.srcOf = Int32Array.from({ length: this.nRows }, (_, i) => i);
    const { keys, state } = tf.tidy(() => {
      const enc = encode(c, model.params, src, srcMask);
      return { keys: prepareKeys(c.attention, model.params, enc.memory, enc.mask), state: initialDecoderState(c, enc.state) } as unknown as tf.TensorContainer;
    }) as unknown as { keys: AttentionKeys; state: DecoderState };
    this.keys = keys;
    this.state = state;
  }

  get rows(): number {
    return this.nRows;
  }

  step(tokens: Int32Array): StepOutput {
    const c = this.model.config;
    const p = this.model.params;
    const out = tf.tidy(() => {
      const o = decoderStep(c, p, this.keys, tf.tensor1d(tokens, 'int32'), this.state);
      return { logp: tf.logSoftmax(outputLogits(p, o.attnVec)), weights: o.weights, state: o.state } as unknown as tf.TensorContainer;
    }) as unknown as { logp: tf.Tensor2D; weights: tf.Tensor2D; state: DecoderState };
    disposeState(this.state);
    this.state = out.state;
    const res = { logProbs: out.logp.dataSync() as Float32Array, attention: out.weights.dataSync() as Float32Array };
    out.logp.dispose();
    out.weights.dispose();
    return res;
  }

  select(rows: Int32Array): void {
    const idx = tf.tensor1d(rows, 'int32');
    const g = <T extends tf.Tensor>(t: T): T => tf.gather(t, idx) as T;
    // the encoder-side tensors depend only on the source of a row: beams reordered within their own
    // source (every step of beam search) keep them; only a change of sources (the expansion) gathers
    const srcOf = Int32Array.from(rows, (r) => this.srcOf[r] as number);
    const sameSources = srcOf.length === this.srcOf.length && srcOf.every((v, i) => v === this.srcOf[i]);
    const state: DecoderState = { rnn: this.state.rnn.map(g), feed: this.state.feed ? g(this.state.feed) : null };
    if (!sameSources) {
      const keys = { type: this.keys.type, keys: g(this.keys.keys), values: g(this.keys.values), mask: g(this.keys.mask) };
      tf.dispose([this.keys.keys, this.keys.values, this.keys.mask]);
      this.keys = keys;
    }
    idx.dispose();
    disposeState(this.state);
    this.state = state;
    this.srcOf = srcOf;
    this.nRows = rows.length;
  }

  dispose(): void {
    this.disposeAll();
  }

  private disposeAll(): void {
    tf.dispose([this.keys.keys, this.keys.values, this.keys.mask]);
    disposeState(this.state);
  }
}

function disposeState(s: DecoderState): void {
  tf.dispose(s.rnn);
  if (s.feed) s.feed.dispose();
}

/** Factory for {@link Seq2Seq}, beside the class as `tf.layers.*` factories are. */
export function seq2seq(config: Seq2SeqConfig): Seq2Seq {
  return new Seq2Seq(config);
}
