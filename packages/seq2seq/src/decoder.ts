// Owns the decoder: GRU/LSTM with global attention over the encoder states, input feeding and an
// attentional vector tanh(Wc [h; ctx]) (Luong et al. 2015; OpenNMT-py `InputFeedRNNDecoder` /
// `StdRNNDecoder`). Bahdanau: the query is the previous state and the context enters the RNN input. The
// recurrence itself is core's: runCellStep for one step, runCellSequence for teacher forcing at once.
import * as tf from '@tensorflow/tfjs';
import { runCellSequence, runCellStep } from '@rnnkit/core';
import { embeddingLookup } from '@rnnkit/text';
import type { ResolvedConfig } from './config';
import type { ModelParams } from './params';
import { attend, project, type AttentionKeys } from './attention';

/** The decoder's recurrent state between steps. */
export interface DecoderState {
  rnn: tf.Tensor2D[]; // [h] or [h, c], each [batch, H]
  /** The previous attentional vector (input feeding), [batch, H]; null without input feeding. */
  feed: tf.Tensor2D | null;
}

export interface DecoderStepOutput {
  attnVec: tf.Tensor2D; // [batch, H]
  weights: tf.Tensor2D; // [batch, srcLen]
  state: DecoderState;
}

/** The initial state: the encoder's final state, zero input feed. */
export function initialDecoderState(c: ResolvedConfig, encState: tf.Tensor2D[]): DecoderState {
  const batch = (encState[0] as tf.Tensor2D).shape[0];
  return { rnn: encState.map((t) => t.clone()), feed: c.inputFeeding ? (tf.zeros([batch, c.hiddenUnits]) as tf.Tensor2D) : null };
}

function attentional(c: ResolvedConfig, p: ModelParams, h: tf.Tensor, ctx: tf.Tensor, training: boolean): tf.Tensor {
  let v = tf.tanh(project(tf.concat([h, ctx], -1), p.wc)); // [..., H]
  if (training && c.dropout > 0) v = tf.dropout(v, c.dropout);
  return v;
}

/** One decoder step from the previous target tokens `yPrev` [batch] int32. */
export function decoderStep(c: ResolvedConfig, p: ModelParams, keys: AttentionKeys, yPrev: tf.Tensor1D, state: DecoderState, training = false): DecoderStepOutput {
  return tf.tidy(() => {
    let emb = embeddingLookup(p.tgtEmbedding, yPrev) as tf.Tensor2D; // [batch, E]
    if (training && c.dropout > 0) emb = tf.dropout(emb, c.dropout) as tf.Tensor2D;
    const parts: tf.Tensor2D[] = [emb];
    if (state.feed) parts.push(state.feed);
    let pre: { context: tf.Tensor3D; weights: tf.Tensor3D } | null = null;
    if (c.attention === 'bahdanau') {
      pre = attend(p, keys, tf.expandDims(state.rnn[0] as tf.Tensor2D, 1) as tf.Tensor3D); // query h_{t-1}
      parts.push(tf.squeeze(pre.context, [1]) as tf.Tensor2D);
    }
    const x = (parts.length === 1 ? emb : tf.concat(parts, -1)) as tf.Tensor2D; // [batch, in]
    const rnnState = runCellStep(c.cell, p.decoder, x, state.rnn); // [h] or [h, c], each [batch, H]
    const h = rnnState[0] as tf.Tensor2D; // [batch, H]
    const a = pre ?? attend(p, keys, tf.expandDims(h, 1) as tf.Tensor3D); // Luong: query h_t
    const ctx = tf.squeeze(a.context, [1]) as tf.Tensor2D; // [batch, H]
    const attnVec = attentional(c, p, h, ctx, training) as tf.Tensor2D; // [batch, H]
    return {
      attnVec, weights: tf.squeeze(a.weights, [1]) as tf.Tensor2D,
      state: { rnn: rnnState, feed: c.inputFeeding ? attnVec : null },
    } as unknown as tf.TensorContainer;
  }) as unknown as DecoderStepOutput;
}

/** True when teacher forcing can run the decoder RNN over the whole target at once (Luong, no input feeding). */
export function canVectorize(c: ResolvedConfig): boolean {
  return c.attention !== 'bahdanau' && !c.inputFeeding;
}

/**
 * Teacher forcing over `tgtIn` [batch, T] (`<bos>` y1 ... y_{T-1}): the attentional vectors [batch, T, H]
 * and attention weights [batch, T, srcLen]. Vectorized (one sequence kernel call, attention for all steps
 * as one batched product) when {@link canVectorize}, else step by step.
 */
export function teacherForce(c: ResolvedConfig, p: ModelParams, keys: AttentionKeys, encState: tf.Tensor2D[], tgtIn: tf.Tensor2D, training = false): { attnVecs: tf.Tensor3D; weights: tf.Tensor3D } {
  return tf.tidy(() => {
    if (canVectorize(c)) {
      let emb = embeddingLookup(p.tgtEmbedding, tgtIn) as tf.Tensor3D; // [batch, T, E]
      if (training && c.dropout > 0) emb = tf.dropout(emb, c.dropout) as tf.Tensor3D;
      const outputs = runCellSequence(c.cell, p.decoder, emb, { h0: encState[0], c0: encState[1] }).outputs as tf.Tensor3D; // [batch, T, H]
      const a = attend(p, keys, outputs); // [batch, T, H], [batch, T, srcLen]
      const attnVecs = attentional(c, p, outputs, a.context, training) as tf.Tensor3D;
      return { attnVecs, weights: a.weights } as unknown as tf.TensorContainer;
    }
    const T = tgtIn.shape[1];
    const cols = tf.unstack(tf.transpose(tgtIn)) as tf.Tensor1D[]; // T x [batch]
    let state = initialDecoderState(c, encState);
    const vecs: tf.Tensor2D[] = [];
    const ws: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const out = decoderStep(c, p, keys, cols[t] as tf.Tensor1D, state, training);
      vecs.push(out.attnVec);
      ws.push(out.weights);
      state = out.state;
    }
    return { attnVecs: tf.stack(vecs, 1) as tf.Tensor3D, weights: tf.stack(ws, 1) as tf.Tensor3D } as unknown as tf.TensorContainer;
  }) as unknown as { attnVecs: tf.Tensor3D; weights: tf.Tensor3D };
}

/** Output logits [..., tgtVocab] of attentional vectors (tied: the target embedding transposed). */
export function outputLogits(p: ModelParams, attnVec: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(p.outKernel ? project(attnVec, p.outKernel) : project(attnVec, p.tgtEmbedding, true), p.outBias));
}
