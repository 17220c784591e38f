// Owns the composite stepper: the decoder advanced one token at a time with tfjs ops (decoder.ts's
// decoderStep), for every backend; the path on GPU backends and the reference the fused stepper
// (fusedStepper.ts) is tested against. Rows can be reordered and expanded (beams).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedConfig } from '../config';
import type { ModelParams } from '../params';
import { encode } from '../encoder';
import { prepareKeys, type AttentionKeys } from '../attention';
import { decoderStep, initialDecoderState, outputLogits, type DecoderState } from '../decoder';
import type { Stepper, StepOutput } from './types';

/** A {@link Stepper} over a batch of encoded sources, each step composed of tfjs ops. */
export class CompositeStepper implements Stepper {
  readonly vocabSize: number;
  readonly srcLen: number;
  private keys: AttentionKeys;
  private state: DecoderState;
  private nRows: number;
  /** Source index of each row. */
  private srcOf: Int32Array;

  constructor(private readonly c: ResolvedConfig, private readonly p: ModelParams, src: tf.Tensor2D, srcMask: tf.Tensor2D) {
    this.vocabSize = c.tgtVocabSize;
    this.srcLen = src.shape[1];
    this.nRows = src.shape[0];
    this.srcOf = Int32Array.from({ length: this.nRows }, (_, i) => i);
    const { keys, state } = tf.tidy(() => {
      const enc = encode(c, p, src, srcMask);
      return { keys: prepareKeys(c.attention, p, enc.memory, enc.mask), state: initialDecoderState(c, enc.state) } as unknown as tf.TensorContainer;
    }) as unknown as { keys: AttentionKeys; state: DecoderState };
    this.keys = keys;
    this.state = state;
  }

  get rows(): number {
    return this.nRows;
  }

  step(tokens: Int32Array): StepOutput {
    const { c, p } = this;
    const out = tf.tidy(() => {
      const o = decoderStep(c, p, this.keys, tf.tensor1d(tokens, 'int32'), this.state);
      return { logp: tf.logSoftmax(outputLogits(p, o.attnVec)), weights: o.weights, state: o.state } as unknown as tf.TensorContainer;
    }) as unknown as { logp: tf.Tensor2D; weights: tf.Tensor2D; state: DecoderState }; // [rows, V], [rows, srcLen]
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
    tf.dispose([this.keys.keys, this.keys.values, this.keys.mask]);
    disposeState(this.state);
  }
}

function disposeState(s: DecoderState): void {
  tf.dispose(s.rnn);
  if (s.feed) s.feed.dispose();
}
