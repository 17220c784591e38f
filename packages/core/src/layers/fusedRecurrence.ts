// The fused path of `runRecurrence`: one fused WebAssembly sequence op per cell (see src/kernels) instead
// of the per-step composite tfjs ops, with the same Keras semantics and the same dropout masks.
import * as tf from '@tensorflow/tfjs';
import { getActivation } from '../cells/activations';
import { fusedGruSequence, fusedLstmSequence, fusedSimpleRnnSequence, shouldUseFusedKernels } from '../kernels/index';
import type { FusedSequenceOptions, FusedSequenceResult } from '../kernels/index';
import type { RnnResult } from '../rnn';
import type { BasicCell, RecurrentCellLayer } from './cellBase';
import { GRUCell, LSTMCell, SimpleRNNCell } from './cellLayers';
import { StackedRNNCells } from './stackedRnnCells';

/** Options of one run of the recurrence (same as `RecurrenceOptions` in rnnLayer.ts). */
export interface FusedRecurrenceOptions {
  mask: tf.Tensor | null;
  training: boolean;
  goBackwards: boolean;
  returnSequences: boolean;
  zeroOutputForMask: boolean;
}

type FusableCell = LSTMCell | GRUCell | SimpleRNNCell;

/** A cell of exactly one of the three Keras classes (not a subclass) with tanh / sigmoid activations. */
function isFusableCell(cell: RecurrentCellLayer): cell is FusableCell {
  const proto = Object.getPrototypeOf(cell) as unknown;
  const gated = proto === LSTMCell.prototype || proto === GRUCell.prototype;
  if (!gated && proto !== SimpleRNNCell.prototype) return false;
  const c = cell as BasicCell;
  if (c.activation !== getActivation('tanh')) return false;
  if (gated && c.recurrentActivation !== getActivation('sigmoid')) return false;
  return shouldUseFusedKernels({ activation: 'tanh', recurrentActivation: 'sigmoid' });
}

/**
 * The cells to run with the fused kernels, in order (one, or each cell of a StackedRNNCells), or null
 * when the composite path must run (another cell type or activation, GPU backend in 'auto', 'composite').
 */
export function fusableCells(cell: RecurrentCellLayer, inputs: tf.Tensor3D, mask: tf.Tensor | null): FusableCell[] | null {
  const [batch, time] = inputs.shape;
  // Let the composite loop report malformed calls with its own errors.
  if (inputs.rank !== 3 || time < 1 || inputs.dtype !== 'float32') return null;
  if (mask && (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time)) return null;
  const cells = cell instanceof StackedRNNCells ? cell.cells : [cell];
  return cells.every((c) => isFusableCell(c)) ? (cells as FusableCell[]) : null;
}

/** One cell over a whole sequence: `[batch, time, in]` -> outputs (processing order) and final states. */
function runCell(cell: FusableCell, x: tf.Tensor3D, states: tf.Tensor2D[], opts: FusedRecurrenceOptions): FusedSequenceResult {
  const [batch, , inputDim] = x.shape;
  // Same draws, in the same order, as the composite planSequence / stepFunction.
  const masks = cell.dropoutMasks(batch, inputDim, opts.training);
  const w = cell.weightTensors();
  const bias = w.bias ?? tf.zeros(cell instanceof GRUCell && cell.resetAfter ? [2, 3 * cell.units] : [w.kernel.shape[1]]);
  const o: FusedSequenceOptions = {
    goBackwards: opts.goBackwards, returnSequences: opts.returnSequences, zeroOutputForMask: opts.zeroOutputForMask,
  };
  if (opts.mask) o.mask = opts.mask;
  if (states[0]) o.h0 = states[0];
  if (states[1]) o.c0 = states[1];
  if (masks.dropoutMask) o.inputDropoutMask = masks.dropoutMask;
  if (masks.recurrentDropoutMask) o.recurrentDropoutMask = masks.recurrentDropoutMask;
  if (cell instanceof LSTMCell) return fusedLstmSequence(x, w.kernel, w.recurrentKernel, bias, o);
  if (cell instanceof GRUCell) return fusedGruSequence(x, w.kernel, w.recurrentKernel, bias, { ...o, resetAfter: cell.resetAfter });
  return fusedSimpleRnnSequence(x, w.kernel, w.recurrentKernel, bias, o);
}

/** The last output `[batch, units]` of a `[batch, time, units]` sequence. */
function lastStep(seq: tf.Tensor): tf.Tensor2D {
  const [batch, time, units] = seq.shape as [number, number, number];
  return tf.reshape(tf.slice(seq, [0, time - 1, 0], [batch, 1, units]), [batch, units]);
}

/**
 * Runs `cells` (one cell, or the cells of a stack) with the fused kernels. A stack inside one time loop
 * equals its cells run one after the other as whole sequences with the same mask: at a masked step every
 * cell carries its states and repeats its output, and an unmasked step of cell k+1 reads the fresh output
 * of cell k. For `goBackwards`, a stack reverses the inputs and the mask once and runs forwards, so each
 * cell sees the sequence in processing order (outputs come out in processing order, as Keras).
 */
export function runFusedRecurrence(cells: FusableCell[], inputs: tf.Tensor3D, initialStates: tf.Tensor2D[], opts: FusedRecurrenceOptions): RnnResult {
  const result: tf.Tensor[] = tf.tidy(() => {
    const single = cells.length === 1;
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
    cells.forEach((cell, i) => {
      const n = cell.stateSize.length;
      const last = i === cells.length - 1;
      r = runCell(cell, x, initialStates.slice(pos, pos + n), { ...o, returnSequences: last ? o.returnSequences : true });
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
