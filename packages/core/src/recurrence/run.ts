// Owns running a recurrence: the one fused/composite choice (kernel mode from `setKernelMode`), for the
// layers (`runRecurrence` over a cell layer) and for weights-level callers (`runCellSequence`, `runCellStep`).
import * as tf from '@tensorflow/tfjs';
import type { ActivationFn } from '../cells/activations';
import { RnnkitError, describeValue } from '../errors';
import { rnn, type RnnResult } from '../rnn';
import {
  cellStepFunction, cellUnits, maskCells, planStack, type CellRun, type CellWeights, type MaskedCellRun, type SequencePlan,
} from './composite';
import { canFuse, runFusedStack, type StackRunOptions } from './fused';
import { CELL_GATES, CELL_STATES, type RecurrentCellKind } from './gates';

/**
 * Runs a stack of Keras cells (one cell or several, first closest to the input) over `[batch, time, in]`
 * from `initialStates` (flat, cell by cell). Fused when `canFuse` holds, otherwise the composite time loop;
 * both give the same results (Keras semantics; outputs in processing order). Masks are already drawn.
 */
export function runCellStack(runs: MaskedCellRun[], inputs: tf.Tensor3D, initialStates: tf.Tensor2D[], opts: StackRunOptions): RnnResult {
  if (canFuse(runs, inputs, opts.mask)) return runFusedStack(runs, inputs, initialStates, opts);
  const plan = planStack(runs, inputs);
  return rnn(plan.step, plan.inputs, initialStates, opts);
}

/** Options of one run of a cell layer's recurrence. */
export interface RecurrenceOptions {
  mask: tf.Tensor | null;
  training: boolean;
  goBackwards: boolean;
  returnSequences: boolean;
  zeroOutputForMask: boolean;
}

/** What `runRecurrence` needs of a cell layer (`RecurrentCellLayer` has both). */
export interface SequenceCell {
  /** The Keras cells this layer is (one, or a stack's cells in order), or null for any other cell. */
  recurrentCells(): CellRun[] | null;
  /** The composite plan of any other cell. */
  planSequence(inputs: tf.Tensor3D, training: boolean): SequencePlan;
}

/** The cells of `cell` that would run fused for these inputs, or null when the composite path runs. */
export function fusableCells(cell: SequenceCell, inputs: tf.Tensor, mask: tf.Tensor | null): CellRun[] | null {
  const runs = cell.recurrentCells();
  return runs && canFuse(runs, inputs, mask) ? runs : null;
}

/**
 * The whole recurrence of one layer call. The Keras cells (LSTM, GRU, SimpleRNN, or a stack of them) run
 * through `runCellStack` (fused when possible: one WebAssembly op per cell and sequence, forward and BPTT);
 * any other cell plans its own composite steps for the time loop. Same results either way.
 */
export function runRecurrence(cell: SequenceCell, inputs: tf.Tensor3D, initialStates: tf.Tensor2D[], opts: RecurrenceOptions): RnnResult {
  if (inputs.rank !== 3) {
    throw new RnnkitError('INVALID_SHAPE', `Expected inputs of rank 3 [batch, time, features]. Received: shape=[${inputs.shape.join(',')}]`);
  }
  const runs = cell.recurrentCells();
  if (runs) return runCellStack(maskCells(runs, inputs.shape[0], inputs.shape[2], opts.training), inputs, initialStates, opts);
  const plan = cell.planSequence(inputs, opts.training);
  return rnn(plan.step, plan.inputs, initialStates, opts);
}

/** Options of `runCellSequence`. */
export interface CellSequenceOptions {
  /** GRU: reset gate after the recurrent product (bias `[2, 3u]`; default true, as Keras). */
  resetAfter?: boolean;
  /** Default tanh; the fused path runs tanh / sigmoid only, other activations take the composite path. */
  activation?: ActivationFn;
  /** Default sigmoid (gated cells). */
  recurrentActivation?: ActivationFn;
  /** `[batch, time]`, 1 / true = the step is used; a masked step keeps the states and repeats the previous output. */
  mask?: tf.Tensor | null;
  /** Process the sequence from the last step to the first. */
  goBackwards?: boolean;
  /** Return the output sequence (default true); the last output and states are always returned. */
  returnSequences?: boolean;
  /** Output zeros at masked steps instead of repeating the previous output. */
  zeroOutputForMask?: boolean;
  /** Initial states `[batch, units]` (zeros when absent); `c0` for LSTM only. */
  h0?: tf.Tensor2D;
  c0?: tf.Tensor2D;
  /** Dropout masks, already scaled (0 or 1/(1-rate)): `[batch, in]` on x, `[batch, units]` on h_{t-1}. */
  inputDropoutMask?: tf.Tensor2D | null;
  recurrentDropoutMask?: tf.Tensor2D | null;
  /** x is data (not a function of trained weights): the fused backward pass skips its gradient. */
  skipInputGradient?: boolean;
  /**
   * Order of `outputs` with `goBackwards`: 'processing' (Keras: the first output belongs to the last
   * input step; default) or 'input' (reversed back, so outputs[t] belongs to x[t]).
   */
  outputOrder?: 'processing' | 'input';
}

/** What `runCellSequence` returns (all new tensors). */
export interface CellSequenceResult {
  /** `[batch, time, units]` (see `outputOrder`), or null when `returnSequences` is false. */
  outputs: tf.Tensor3D | null;
  /** The output of the last processed step: `[batch, units]`. */
  lastOutput: tf.Tensor2D;
  h: tf.Tensor2D; // [batch, units]
  /** LSTM only: `[batch, units]`. */
  c?: tf.Tensor2D;
}

function checkWeights(kind: RecurrentCellKind, w: CellWeights): void {
  if (!(kind in CELL_GATES)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected cell 'simpleRnn', 'lstm' or 'gru'. Received: cell=${describeValue(kind)}`);
  }
  const ok = w?.kernel instanceof tf.Tensor && w.recurrentKernel instanceof tf.Tensor && w.kernel.rank === 2 && w.recurrentKernel.rank === 2;
  if (!ok) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected weights { kernel [in, ${CELL_GATES[kind]}u], recurrentKernel [u, ${CELL_GATES[kind]}u], bias? } as rank-2 tensors. Received: ${describeValue(w)}`);
  }
}

/**
 * Runs one Keras cell (`'lstm'`, `'gru'`, `'simpleRnn'`) from its weights over `x` `[batch, time, in]`:
 * the weights-level entry for code that owns its variables (seq2seq's encoder and decoder). Same choice
 * and semantics as the layers: fused when possible, otherwise the composite time loop.
 */
export function runCellSequence(kind: RecurrentCellKind, weights: CellWeights, x: tf.Tensor3D, opts: CellSequenceOptions = {}): CellSequenceResult {
  checkWeights(kind, weights);
  if (!(x instanceof tf.Tensor) || x.rank !== 3) {
    throw new RnnkitError('INVALID_SHAPE', `Expected x of rank 3 [batch, time, features]. Received: ${x instanceof tf.Tensor ? `shape=[${x.shape.join(',')}]` : describeValue(x)}`);
  }
  const run: CellRun = { kind, weights };
  if (opts.resetAfter !== undefined) run.resetAfter = opts.resetAfter;
  if (opts.activation) run.activation = opts.activation;
  if (opts.recurrentActivation) run.recurrentActivation = opts.recurrentActivation;
  const masks = { dropoutMask: opts.inputDropoutMask ?? null, recurrentDropoutMask: opts.recurrentDropoutMask ?? null };
  const returnSequences = opts.returnSequences ?? true;
  const goBackwards = opts.goBackwards ?? false;
  return tf.tidy(() => {
    const units = cellUnits(run);
    const batch = x.shape[0];
    const zeros = (): tf.Tensor2D => tf.zeros([batch, units]);
    const states = kind === 'lstm' ? [opts.h0 ?? zeros(), opts.c0 ?? zeros()] : [opts.h0 ?? zeros()];
    const r = runCellStack([{ ...run, masks }], x, states, {
      mask: opts.mask ?? null, goBackwards, returnSequences, zeroOutputForMask: opts.zeroOutputForMask ?? false,
      skipInputGradient: opts.skipInputGradient ?? false,
    });
    let outputs = r.outputs;
    if (outputs && goBackwards && opts.outputOrder === 'input') outputs = tf.reverse(outputs, 1); // [batch, time, units]
    const result: CellSequenceResult = { outputs, lastOutput: r.lastOutput, h: r.states[0] as tf.Tensor2D };
    if (kind === 'lstm') result.c = r.states[1] as tf.Tensor2D;
    return result as unknown as tf.TensorContainer;
  }) as unknown as CellSequenceResult;
}

/** Options of `runCellStep`. */
export type CellStepRunOptions = Pick<CellSequenceOptions, 'resetAfter' | 'activation' | 'recurrentActivation' | 'inputDropoutMask' | 'recurrentDropoutMask'>;

/**
 * One step of a Keras cell from its weights (a decoder step): `x` `[batch, in]`, `states` `[h]` or
 * `[h, c]` (LSTM), each `[batch, units]`. Returns the new states (`[h]` or `[h, c]`).
 */
export function runCellStep(kind: RecurrentCellKind, weights: CellWeights, x: tf.Tensor2D, states: tf.Tensor2D[], opts: CellStepRunOptions = {}): tf.Tensor2D[] {
  checkWeights(kind, weights);
  if (states.length !== CELL_STATES[kind]) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${CELL_STATES[kind]} state(s) for a ${kind} cell. Received: ${states.length} state(s)`);
  }
  const run: MaskedCellRun = {
    kind, weights, masks: { dropoutMask: opts.inputDropoutMask ?? null, recurrentDropoutMask: opts.recurrentDropoutMask ?? null },
  };
  if (opts.resetAfter !== undefined) run.resetAfter = opts.resetAfter;
  if (opts.activation) run.activation = opts.activation;
  if (opts.recurrentActivation) run.recurrentActivation = opts.recurrentActivation;
  return tf.tidy(() => cellStepFunction(run)(x, states).states);
}
