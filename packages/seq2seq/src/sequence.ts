// One recurrent pass over a whole sequence: the fused WebAssembly kernel when core says it applies,
// otherwise core's time loop over the pure cell steps. Outputs in input time order.
import * as tf from '@tensorflow/tfjs';
import {
  fusedGruSequence, fusedLstmSequence, gruPrepare, gruStep, lstmStep, gruProjectInputs, gruRecurrentStep, lstmProjectInputs, lstmRecurrentStep, rnn,
  shouldUseFusedKernels,
} from '@rnnkit/core';
import type { GruState, LstmState } from '@rnnkit/core';
import type { CellType } from './config';

/** Weights of one recurrent layer (Keras layout; GRU with resetAfter, bias [2, 3u]). */
export interface RnnWeights {
  kernel: tf.Variable; // [in, G*u]
  recurrentKernel: tf.Variable; // [u, G*u]
  bias: tf.Variable; // GRU [2, 3u], LSTM [4u]
}

export interface SequenceRun {
  outputs: tf.Tensor3D; // [batch, time, units], input time order
  h: tf.Tensor2D; // [batch, units]
  c?: tf.Tensor2D; // LSTM
}

export interface SequenceRunOptions {
  mask?: tf.Tensor2D; // [batch, time] float 0/1
  goBackwards?: boolean;
  h0?: tf.Tensor2D;
  c0?: tf.Tensor2D;
  /** x is data (not a function of trained weights): the fused kernel skips its gradient. */
  inputIsData?: boolean;
}

/** Gates per cell type. */
export const GATES: Readonly<Record<CellType, number>> = { gru: 3, lstm: 4 };

/** Runs a GRU or LSTM over `x` [batch, time, in]. */
export function runSequence(cell: CellType, w: RnnWeights, x: tf.Tensor3D, opts: SequenceRunOptions = {}): SequenceRun {
  const fused = shouldUseFusedKernels();
  return tf.tidy(() => {
    let outputs: tf.Tensor3D;
    let h: tf.Tensor2D;
    let c: tf.Tensor2D | undefined;
    if (fused) {
      const o = { mask: opts.mask, goBackwards: opts.goBackwards, h0: opts.h0, c0: opts.c0, returnSequences: true, skipInputGradient: opts.inputIsData };
      const r = cell === 'gru' ? fusedGruSequence(x, w.kernel, w.recurrentKernel, w.bias, { ...o, resetAfter: true })
        : fusedLstmSequence(x, w.kernel, w.recurrentKernel, w.bias, o);
      outputs = r.output as tf.Tensor3D;
      h = r.h;
      c = r.c;
    } else {
      const [batch] = x.shape;
      const units = w.recurrentKernel.shape[0] as number;
      const zeros = tf.zeros([batch, units]) as tf.Tensor2D;
      const loopOpts = { mask: opts.mask ?? null, goBackwards: opts.goBackwards ?? false, returnSequences: true };
      if (cell === 'gru') {
        const prepared = gruPrepare({ kernel: w.kernel as tf.Tensor2D, recurrentKernel: w.recurrentKernel as tf.Tensor2D, bias: w.bias as tf.Tensor2D, resetAfter: true });
        const xProj = gruProjectInputs(prepared, x); // [batch, time, 3u]
        const res = rnn((xt, s) => {
          const [nh] = gruRecurrentStep(prepared, xt, s as GruState);
          return { output: nh, states: [nh] };
        }, xProj, [opts.h0 ?? zeros], loopOpts);
        outputs = res.outputs as tf.Tensor3D;
        h = res.states[0] as tf.Tensor2D;
      } else {
        const params = { kernel: w.kernel as tf.Tensor2D, recurrentKernel: w.recurrentKernel as tf.Tensor2D, bias: w.bias as tf.Tensor1D };
        const xProj = lstmProjectInputs(params, x); // [batch, time, 4u]
        const res = rnn((xt, s) => {
          const [nh, nc] = lstmRecurrentStep(params, xt, s as LstmState);
          return { output: nh, states: [nh, nc] };
        }, xProj, [opts.h0 ?? zeros, opts.c0 ?? zeros], loopOpts);
        outputs = res.outputs as tf.Tensor3D;
        h = res.states[0] as tf.Tensor2D;
        c = res.states[1] as tf.Tensor2D;
      }
    }
    if (opts.goBackwards) outputs = tf.reverse(outputs, 1); // back to input time order
    return (c ? { outputs, h, c } : { outputs, h }) as unknown as tf.TensorContainer;
  }) as unknown as SequenceRun;
}

/** One decoder step of a GRU or LSTM on x [batch, in] (core's pure cells); state [h] or [h, c]. */
export function cellStep(cell: CellType, w: RnnWeights, x: tf.Tensor2D, state: tf.Tensor2D[]): tf.Tensor2D[] {
  if (cell === 'gru') {
    return gruStep({ kernel: w.kernel as tf.Tensor2D, recurrentKernel: w.recurrentKernel as tf.Tensor2D, bias: w.bias as tf.Tensor2D, resetAfter: true }, x, state as GruState);
  }
  return lstmStep({ kernel: w.kernel as tf.Tensor2D, recurrentKernel: w.recurrentKernel as tf.Tensor2D, bias: w.bias as tf.Tensor1D }, x, state as LstmState);
}
