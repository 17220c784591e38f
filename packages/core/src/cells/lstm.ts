import * as tf from '@tensorflow/tfjs';
import { matMul, projectInputs, projectStep, resolveActivations, type CellStepOptions } from './common';

/** LSTM weights in Keras layout, gates i, f, c, o: kernel `[in, 4u]`, recurrentKernel `[u, 4u]`, bias `[4u]` or null. */
export interface LstmParams {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D | null;
}

/** LSTM state `[h, c]`, each `[batch, units]`. */
export type LstmState = [h: tf.Tensor2D, c: tf.Tensor2D];

/** `x @ W + b` for every time step at once: `[batch, time, in] -> [batch, time, 4u]`. */
export function lstmProjectInputs(params: LstmParams, inputs: tf.Tensor3D, dropoutMask?: tf.Tensor2D | null): tf.Tensor3D {
  return projectInputs(inputs, params.kernel, params.bias, dropoutMask);
}

/** One step from a precomputed projection `xProj = x @ W + b` (`[batch, 4u]`). */
export function lstmRecurrentStep(params: LstmParams, xProj: tf.Tensor2D, state: LstmState, opts: CellStepOptions = {}): LstmState {
  const { activation, recurrentActivation } = resolveActivations(opts);
  const [hPrev, cPrev] = state;
  const h = (opts.recurrentDropoutMask ? tf.mul(hPrev, opts.recurrentDropoutMask) : hPrev) as tf.Tensor2D; // [batch, u]
  const z = tf.add(xProj, matMul(h, params.recurrentKernel)); // [batch, 4u]
  const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D]; // 4 x [batch, u]
  const i = recurrentActivation(zi);
  const f = recurrentActivation(zf);
  const c = tf.add(tf.mul(f, cPrev), tf.mul(i, activation(zc))) as tf.Tensor2D; // [batch, u]
  const o = recurrentActivation(zo);
  return [tf.mul(o, activation(c)) as tf.Tensor2D, c];
}

/** One LSTM step (Keras `LSTMCell.call`). Returns the new `[h, c]`. */
export function lstmStep(params: LstmParams, x: tf.Tensor2D, state: LstmState, opts: CellStepOptions = {}): LstmState {
  return tf.tidy(() => lstmRecurrentStep(params, projectStep(x, params.kernel, params.bias, opts.dropoutMask), state, opts));
}
