// Global attention over the encoder states (OpenNMT-py `GlobalAttention`): Luong dot / general /
// concat and Bahdanau additive scores, source padding masked out, built on core's pure
// `attentionScores` / `attendScores` (Keras `Attention` / `AdditiveAttention` semantics).
import * as tf from '@tensorflow/tfjs';
import { attendScores, attentionScores, fusedKernelsAvailable, fusedMatMul } from '@rnnkit/core';
import type { AttentionType } from './config';
import type { ModelParams } from './params';

/**
 * `x` [..., K] times `w` [K, N] (or [N, K] with `transposeB`): core's WebAssembly GEMM on CPU backends
 * (tfjs-wasm's transposed products in every gradient are a scalar loop), `tf.matMul` elsewhere.
 */
export function project(x: tf.Tensor, w: tf.Tensor, transposeB = false): tf.Tensor {
  if (fusedKernelsAvailable()) return fusedMatMul(x, w, false, transposeB);
  return tf.tidy(() => {
    const k = x.shape[x.rank - 1] as number;
    const n = w.shape[transposeB ? 0 : 1] as number;
    const flat = tf.matMul(tf.reshape(x, [-1, k]) as tf.Tensor2D, w as tf.Tensor2D, false, transposeB); // [rows, N]
    return tf.reshape(flat, [...x.shape.slice(0, -1), n]);
  });
}

/** Per-source keys computed once per batch (see {@link prepareKeys}). */
export interface AttentionKeys {
  type: AttentionType;
  keys: tf.Tensor3D; // [batch, srcLen, H]
  values: tf.Tensor3D; // [batch, srcLen, H]
  mask: tf.Tensor2D; // [batch, srcLen]
}

/**
 * Keys for the score function: dot → memory; general → memory Wa (score q·(k Wa), Luong's qᵀ Wa k up to
 * the transpose of the learned matrix); concat / bahdanau → memory Wk. Computed once per source batch
 * and reused at every decoder step.
 */
export function prepareKeys(type: AttentionType, p: ModelParams, memory: tf.Tensor3D, mask: tf.Tensor2D): AttentionKeys {
  return tf.tidy(() => {
    let keys: tf.Tensor3D = memory;
    if (type === 'general') keys = project(memory, p.attn.wa as tf.Tensor) as tf.Tensor3D; // [batch, srcLen, H]
    if (type === 'concat' || type === 'bahdanau') keys = project(memory, p.attn.wk as tf.Tensor) as tf.Tensor3D; // [batch, srcLen, H]
    return { type, keys, values: memory, mask } as unknown as tf.TensorContainer;
  }) as unknown as AttentionKeys;
}

export interface AttentionResult {
  context: tf.Tensor3D; // [batch, Tq, H]
  weights: tf.Tensor3D; // [batch, Tq, srcLen]
}

/** Attends `query` [batch, Tq, H] over the prepared keys; padded source positions get weight 0. */
export function attend(p: ModelParams, k: AttentionKeys, query: tf.Tensor3D): AttentionResult {
  return tf.tidy(() => {
    let scores: tf.Tensor3D;
    if (k.type === 'dot' || k.type === 'general') {
      scores = attentionScores(query, k.keys, { mode: 'dot', mask: k.mask }); // [batch, Tq, srcLen]
    } else {
      const q = project(query, p.attn.wq as tf.Tensor); // [batch, Tq, H]
      scores = attentionScores(q, k.keys, { mode: 'additive', scale: p.attn.v as tf.Tensor, mask: k.mask }); // v·tanh(Wq q + Wk k)
    }
    return attendScores(scores, k.values) as unknown as tf.TensorContainer;
  }) as unknown as AttentionResult;
}
