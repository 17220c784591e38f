import * as tf from '@tensorflow/tfjs';
import { matMul, projectInputs, projectStep, resolveActivations, type CellStepOptions } from './common';

/** SimpleRNN weights in Keras layout: kernel `[in, u]`, recurrentKernel `[u, u]`, bias `[u]` or null. */
export interface SimpleRnnParams {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D | null;
}

/** SimpleRNN state: `[h]`, `[batch, units]`. */
export type SimpleRnnState = [h: tf.Tensor2D];

/** `x @ W + b` for every time step at once: `[batch, time, in] -> [batch, time, u]`. */
export function simpleRnnProjectInputs(params: SimpleRnnParams, inputs: tf.Tensor3D, dropoutMask?: tf.Tensor2D | null): tf.Tensor3D {
  return projectInputs(inputs, params.kernel, params.bias, dropoutMask);
}

/** One step from a precomputed projection `xProj = x @ W + b` (`[batch, u]`): `h = act(xProj + h @ U)`. */
export function simpleRnnRecurrentStep(params: SimpleRnnParams, xProj: tf.Tensor2D, state: SimpleRnnState, opts: CellStepOptions = {}): SimpleRnnState {
  const { activation } = resolveActivations(opts);
  const h = (opts.recurrentDropoutMask ? tf.mul(state[0], opts.recurrentDropoutMask) : state[0]) as tf.Tensor2D; // [batch, u]
  return [activation(tf.add(xProj, matMul(h, params.recurrentKernel))) as tf.Tensor2D]; // [batch, u]
}

/** One SimpleRNN step (Keras `SimpleRNNCell.call`): `h_t = act(x W + b + h_{t-1} U)`. */
export function simpleRnnStep(params: SimpleRnnParams, x: tf.Tensor2D, state: SimpleRnnState, opts: CellStepOptions = {}): SimpleRnnState {
  return tf.tidy(() => simpleRnnRecurrentStep(params, projectStep(x, params.kernel, params.bias, opts.dropoutMask), state, opts));
}
