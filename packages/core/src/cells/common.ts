import * as tf from '@tensorflow/tfjs';
import { getActivation, type ActivationFn, type ActivationIdentifier } from './activations';

/** Options shared by the step functions. Dropout masks are already scaled (0 or 1/(1-rate)). */
export interface CellStepOptions {
  /** Activation of the candidate / output (default `tanh`). */
  activation?: ActivationIdentifier;
  /** Activation of the gates (default `sigmoid`; unused by SimpleRNN). */
  recurrentActivation?: ActivationIdentifier;
  /** Multiplies the inputs x: `[batch, inputDim]`. */
  dropoutMask?: tf.Tensor2D | null;
  /** Multiplies h_{t-1} where it enters the recurrent matrix product: `[batch, units]`. */
  recurrentDropoutMask?: tf.Tensor2D | null;
}

/** Resolved activations (looked up once, outside the time loop). */
export interface ResolvedActivations {
  activation: ActivationFn;
  recurrentActivation: ActivationFn;
}

export function resolveActivations(opts: CellStepOptions): ResolvedActivations {
  return {
    activation: getActivation(opts.activation ?? 'tanh'),
    recurrentActivation: getActivation(opts.recurrentActivation ?? 'sigmoid'),
  };
}

/*
 * `a @ b` whose gradient uses explicit transposes (`dy @ transpose(b)`, `transpose(a) @ dy`) instead of
 * tfjs's transposed matMul, which on the wasm backend runs a scalar fallback 10-40x slower than the
 * plain product (measured in Node: ~15-30 GFLOP/s without transposes, 0.4-2.3 GFLOP/s with
 * `transposeA`/`transposeB`). Same values as `tf.matMul`.
 */
const matMulExplicitTransposes: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b), // [m, n]
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)]; // [m, k], [k, n]
    },
  };
}) as never) as never;

/** `a @ b`; on the wasm backend with the explicit-transpose gradient above, elsewhere `tf.matMul`. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === 'wasm' ? matMulExplicitTransposes(a, b) : tf.matMul(a, b);
}

/**
 * The input projection for all time steps as one matrix product:
 * `(inputs * dropoutMask) @ kernel + bias`, `[batch, time, in] -> [batch, time, k]`.
 */
export function projectInputs(inputs: tf.Tensor3D, kernel: tf.Tensor2D, bias: tf.Tensor1D | null, dropoutMask?: tf.Tensor2D | null): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, time, inputDim] = inputs.shape;
    const x = dropoutMask ? tf.mul(inputs, tf.expandDims(dropoutMask, 1)) : inputs; // [batch, time, in]
    const flat = tf.reshape(x, [batch * time, inputDim]) as tf.Tensor2D; // [batch*time, in]
    let proj: tf.Tensor2D = matMul(flat, kernel); // [batch*time, k]
    if (bias) proj = tf.add(proj, bias);
    return tf.reshape(proj, [batch, time, kernel.shape[1]]) as tf.Tensor3D; // [batch, time, k]
  });
}

/** The input projection for one step: `(x * dropoutMask) @ kernel + bias`, `[batch, in] -> [batch, k]`. */
export function projectStep(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D | null, dropoutMask?: tf.Tensor2D | null): tf.Tensor2D {
  const xd = (dropoutMask ? tf.mul(x, dropoutMask) : x) as tf.Tensor2D; // [batch, in]
  const proj = matMul(xd, kernel); // [batch, k]
  return bias ? (tf.add(proj, bias) as tf.Tensor2D) : proj;
}
