import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '../errors';
import { matMul, projectInputs, projectStep, resolveActivations, type CellStepOptions } from './common';

/**
 * GRU weights in Keras layout, gates z, r, h: kernel `[in, 3u]`, recurrentKernel `[u, 3u]`; bias
 * `[2, 3u]` when `resetAfter` (row 0 input bias, row 1 recurrent bias), `[3u]` otherwise, or null.
 */
export interface GruParams {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D | tf.Tensor2D | null;
  resetAfter: boolean;
}

/** GRU state: `[h]`, `[batch, units]`. */
export type GruState = [h: tf.Tensor2D];

/** GRU weights sliced once, outside the time loop (never per step). */
export interface GruPrepared {
  resetAfter: boolean;
  units: number;
  kernel: tf.Tensor2D;
  /** Input bias `[3u]` (folded into the input projection). */
  inputBias: tf.Tensor1D | null;
  /** resetAfter: the whole `U` `[u, 3u]`; otherwise `U_zr` `[u, 2u]`. */
  recurrentKernelMain: tf.Tensor2D;
  /** resetAfter=false only: `U_h` `[u, u]`. */
  recurrentKernelH: tf.Tensor2D | null;
  /** resetAfter only: recurrent bias `[3u]`. */
  recurrentBias: tf.Tensor1D | null;
}

/** Splits the GRU weights for the loop. Call inside a `tf.tidy` whose result keeps what it needs. */
export function gruPrepare(params: GruParams): GruPrepared {
  const units = params.recurrentKernel.shape[0];
  const { bias, resetAfter } = params;
  if (bias && resetAfter !== (bias.rank === 2)) {
    throw new RnnkitError('WEIGHT_MISMATCH', `Expected GRU bias of shape ${resetAfter ? `[2,${3 * units}]` : `[${3 * units}]`} for resetAfter=${resetAfter}. Received: shape=[${bias.shape.join(',')}]`);
  }
  let inputBias: tf.Tensor1D | null = null;
  let recurrentBias: tf.Tensor1D | null = null;
  if (bias && resetAfter) {
    const [b0, b1] = tf.unstack(bias) as [tf.Tensor1D, tf.Tensor1D]; // 2 x [3u]
    inputBias = b0;
    recurrentBias = b1;
  } else if (bias) {
    inputBias = bias as tf.Tensor1D;
  }
  if (resetAfter) {
    return { resetAfter, units, kernel: params.kernel, inputBias, recurrentKernelMain: params.recurrentKernel, recurrentKernelH: null, recurrentBias };
  }
  const [uzr, uh] = tf.split(params.recurrentKernel, [2 * units, units], 1) as [tf.Tensor2D, tf.Tensor2D]; // [u, 2u], [u, u]
  return { resetAfter, units, kernel: params.kernel, inputBias, recurrentKernelMain: uzr, recurrentKernelH: uh, recurrentBias: null };
}

/** `x @ W + b_in` for every time step at once: `[batch, time, in] -> [batch, time, 3u]`. */
export function gruProjectInputs(prepared: GruPrepared, inputs: tf.Tensor3D, dropoutMask?: tf.Tensor2D | null): tf.Tensor3D {
  return projectInputs(inputs, prepared.kernel, prepared.inputBias, dropoutMask);
}

/**
 * One step from a precomputed projection `xProj = x @ W + b_in` (`[batch, 3u]`). The recurrent dropout
 * mask applies where h_{t-1} enters the matrix products; the final mix `z h + (1 - z) hh` uses h_{t-1}.
 */
export function gruRecurrentStep(prepared: GruPrepared, xProj: tf.Tensor2D, state: GruState, opts: CellStepOptions = {}): GruState {
  const { activation, recurrentActivation } = resolveActivations(opts);
  const hPrev = state[0]; // [batch, u]
  const h = (opts.recurrentDropoutMask ? tf.mul(hPrev, opts.recurrentDropoutMask) : hPrev) as tf.Tensor2D; // [batch, u]
  const [xz, xr, xh] = tf.split(xProj, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D]; // 3 x [batch, u]
  let hh: tf.Tensor;
  let z: tf.Tensor;
  if (prepared.resetAfter) {
    let inner: tf.Tensor2D = matMul(h, prepared.recurrentKernelMain); // [batch, 3u]
    if (prepared.recurrentBias) inner = tf.add(inner, prepared.recurrentBias);
    const [iz, ir, ih] = tf.split(inner, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    z = recurrentActivation(tf.add(xz, iz));
    const r = recurrentActivation(tf.add(xr, ir));
    hh = activation(tf.add(xh, tf.mul(r, ih))); // [batch, u]
  } else {
    const inner = matMul(h, prepared.recurrentKernelMain); // [batch, 2u]
    const [iz, ir] = tf.split(inner, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    z = recurrentActivation(tf.add(xz, iz));
    const r = recurrentActivation(tf.add(xr, ir));
    hh = activation(tf.add(xh, matMul(tf.mul(r, h) as tf.Tensor2D, prepared.recurrentKernelH as tf.Tensor2D))); // [batch, u]
  }
  return [tf.add(hh, tf.mul(z, tf.sub(hPrev, hh))) as tf.Tensor2D]; // z*h + (1-z)*hh, [batch, u]
}

/** One GRU step (Keras `GRUCell.call`, both `resetAfter` variants). Returns the new `[h]`. */
export function gruStep(params: GruParams, x: tf.Tensor2D, state: GruState, opts: CellStepOptions = {}): GruState {
  return tf.tidy(() => {
    const prepared = gruPrepare(params);
    return gruRecurrentStep(prepared, projectStep(x, prepared.kernel, prepared.inputBias, opts.dropoutMask), state, opts);
  });
}
