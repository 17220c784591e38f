// Owns the fused path of a recurrence: when a cell (or stack) can run as fused WebAssembly sequence ops
// (src/kernels), and running it there with the same Keras semantics and dropout masks as the composite path.
import * as tf from '@tensorflow/tfjs';
import { getActivation } from '../cells/activations';
import { fusedGruSequence, fusedLstmSequence, fusedSimpleRnnSequence } from '../kernels/ops';
import type { FusedSequenceOptions, FusedSequenceResult } from '../kernels/ops';
import { shouldUseFusedKernels } from '../kernels/mode';
import type { RnnResult } from '../rnn';
import { cellUnits, type CellRun, type MaskedCellRun } from './composite';
import { CELL_STATES, cellBiasShape } from './gates';

/** How a stack runs over one sequence (both paths). */
export interface StackRunOptions {
  mask: tf.Tensor | null;
  goBackwards: boolean;
  returnSequences: boolean;
  zeroOutputForMask: boolean;
  /** The inputs are data: the fused backward pass skips their gradient (returns zeros). */
  skipInputGradient?: boolean;
}

/**
 * True when `runs` can take the fused path for these inputs: tanh / sigmoid cells, float32 rank-3 inputs
 * with at least one step and a `[batch, time]` mask, and the kernel mode (`setKernelMode`) and backend
 * allow it. Malformed calls return false so the composite loop reports them with its own errors.
 */
export function canFuse(runs: CellRun[], inputs: tf.Tensor, mask: tf.Tensor | null): boolean {
  if (inputs.rank !== 3 || inputs.dtype !== 'float32') return false;
  const [batch, time] = inputs.shape as [number, number, number];
  if (time < 1) return false;
  if (mask && (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time)) return false;
  const tanh = getActivation('tanh');
  const sigmoid = getActivation('sigmoid');
  const supported = runs.every((r) => (r.activation ?? tanh) === tanh && (r.kind === 'simpleRnn' || (r.recurrentActivation ?? sigmoid) === sigmoid));
  return supported && runs.length > 0 && shouldUseFusedKernels({ activation: 'tanh', recurrentActivation: 'sigmoid' });
}

/** One cell over a whole sequence: `[batch, time, in]` -> outputs (processing order) and final states. */
function runCell(run: MaskedCellRun, x: tf.Tensor3D, states: tf.Tensor2D[], opts: StackRunOptions): FusedSequenceResult {
  const { kernel, recurrentKernel } = run.weights;
  const resetAfter = run.resetAfter ?? true;
  const bias = run.weights.bias ?? tf.zeros(cellBiasShape(run.kind, cellUnits(run), resetAfter));
  const o: FusedSequenceOptions = {
    goBackwards: opts.goBackwards, returnSequences: opts.returnSequences, zeroOutputForMask: opts.zeroOutputForMask,
  };
  if (opts.skipInputGradient) o.skipInputGradient = true;
  if (opts.mask) o.mask = opts.mask;
  if (states[0]) o.h0 = states[0];
  if (states[1]) o.c0 = states[1];
  if (run.masks.dropoutMask) o.inputDropoutMask = run.masks.dropoutMask;
  if (run.masks.recurrentDropoutMask) o.recurrentDropoutMask = run.masks.recurrentDropoutMask;
  if (run.kind === 'lstm') return fusedLstmSequence(x, kernel, recurrentKernel, bias, o);
  if (run.kind === 'gru') return fusedGruSequence(x, kernel, recurrentKernel, bias, { ...o, resetAfter });
  return fusedSimpleRnnSequence(x, kernel, recurrentKernel, bias, o);
}

/** The last output `[batch, units]` of a `[batch, time, units]` sequence. */
function lastStep(seq: tf.Tensor): tf.Tensor2D {
  const [batch, time, units] = seq.shape as [number, number, number];
  return tf.reshape(tf.slice(seq, [0, time - 1, 0], [batch, 1, units]), [batch, units]);
}

/**
 * Runs a stack with the fused kernels. A stack inside one time loop equals its cells run one after the
 * other as whole sequences with the same mask: at a masked step every cell carries its states and repeats
 * its output, and an unmasked step of cell k+1 reads the fresh output of cell k. For `goBackwards`, a
 * stack reverses the inputs and the mask once and runs forwards, so each cell sees the sequence in
 * processing order (outputs come out in processing order, as Keras). Only the upper cells' inputs are
 * never data, so `skipInputGradient` applies to the first cell.
 */
export function runFusedStack(runs: MaskedCellRun[], inputs: tf.Tensor3D, initialStates: tf.Tensor2D[], opts: StackRunOptions): RnnResult {
  const result: tf.Tensor[] = tf.tidy(() => {
    const single = runs.length === 1;
    let x = inputs;
    let o = opts;
    if (!single && opts.goBackwards) {
      x = tf.reverse(inputs, 1);
      // float32 first: tfjs-wasm's Reverse assumes 4-byte elements and corrupts memory on a bool tensor.
      o = { ...opts, goBackwards: false, mask: opts.mask ? tf.reverse(tf.cast(opts.mask, 'float32'), 1) : null };
    }
    const finalStates: tf.Tensor2D[] = [];
    let pos = 0;
    let r: FusedSequenceResult | null = null;
    runs.forEach((run, i) => {
      const n = CELL_STATES[run.kind];
      const last = i === runs.length - 1;
      r = runCell(run, x, initialStates.slice(pos, pos + n), {
        ...o, returnSequences: last ? o.returnSequences : true, skipInputGradient: i === 0 && o.skipInputGradient === true,
      });
      pos += n;
      finalStates.push(r.h);
      if (r.c) finalStates.push(r.c);
      x = r.output as tf.Tensor3D;
    });
    const out = (r as FusedSequenceResult | null)?.output as tf.Tensor;
    return opts.returnSequences ? [lastStep(out), ...finalStates, out] : [out, ...finalStates];
  });
  const n = initialStates.length;
  return {
    lastOutput: result[0] as tf.Tensor2D,
    states: result.slice(1, 1 + n) as tf.Tensor2D[],
    outputs: opts.returnSequences ? (result[1 + n] as tf.Tensor3D) : null,
  };
}
