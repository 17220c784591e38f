// Owns the encoder (OpenNMT-py `RNNEncoder`, brnn): source embedding -> stacked bidirectional GRU/LSTM,
// masked; each direction runs through core's recurrence entry (runCellSequence: fused or composite).
import * as tf from '@tensorflow/tfjs';
import { runCellSequence } from '@rnnkit/core';
import { embeddingLookup } from '@rnnkit/text';
import type { ResolvedConfig } from './config';
import type { ModelParams } from './params';

export interface EncoderOutput {
  memory: tf.Tensor3D; // [batch, srcLen, H]: concat of forward and backward outputs of the top layer
  mask: tf.Tensor2D; // [batch, srcLen] float 0/1
  /** Decoder initial state: [h] (GRU) or [h, c] (LSTM), each [batch, H] = concat of the two directions' finals. */
  state: tf.Tensor2D[];
}

/** Encodes `srcIds` [batch, srcLen] int32 with `srcMask` [batch, srcLen] (1 = token). */
export function encode(c: ResolvedConfig, p: ModelParams, srcIds: tf.Tensor2D, srcMask: tf.Tensor2D, training = false): EncoderOutput {
  return tf.tidy(() => {
    let x = embeddingLookup(p.srcEmbedding, srcIds) as tf.Tensor3D; // [batch, srcLen, E]
    if (training && c.dropout > 0) x = tf.dropout(x, c.dropout) as tf.Tensor3D;
    let state: tf.Tensor2D[] = [];
    p.encoder.forEach(([fw, bw], layer) => {
      const f = runCellSequence(c.cell, fw, x, { mask: srcMask }); // outputs [batch, srcLen, H/2]
      const b = runCellSequence(c.cell, bw, x, { mask: srcMask, goBackwards: true, outputOrder: 'input' }); // outputs [batch, srcLen, H/2]
      // zero the padded positions so they never leak into the next layer or the attention values
      const m = tf.expandDims(srcMask, -1); // [batch, srcLen, 1]
      x = tf.mul(tf.concat([f.outputs as tf.Tensor3D, b.outputs as tf.Tensor3D], -1), m) as tf.Tensor3D; // [batch, srcLen, H]
      if (layer === p.encoder.length - 1) {
        state = [tf.concat([f.h, b.h], -1) as tf.Tensor2D]; // [batch, H]
        if (f.c && b.c) state.push(tf.concat([f.c, b.c], -1) as tf.Tensor2D);
      }
    });
    return { memory: x, mask: tf.clone(srcMask), state } as unknown as tf.TensorContainer; // the caller may dispose srcMask
  }) as unknown as EncoderOutput;
}
