// Owns the composite path of a recurrence: one Keras cell (SimpleRNN, LSTM, GRU) from its weights as a
// per-step tfjs function for the time loop (rnn.ts), the cell's dropout masks, and the chain of a stack.
import * as tf from '@tensorflow/tfjs';
import type { ActivationFn } from '../cells/activations';
import { projectStep, type CellStepOptions } from '../cells/common';
import { gruPrepare, gruProjectInputs, gruRecurrentStep, type GruState } from '../cells/gru';
import { lstmProjectInputs, lstmRecurrentStep, type LstmState } from '../cells/lstm';
import { simpleRnnProjectInputs, simpleRnnRecurrentStep, type SimpleRnnState } from '../cells/simpleRnn';
import type { RnnStepFunction } from '../rnn';
import { CELL_STATES, type RecurrentCellKind } from './gates';

/** Weights of one cell in Keras layout (see `CELL_GATES`, `cellBiasShape`). */
export interface CellWeights {
  kernel: tf.Tensor2D; // [in, G*u]
  recurrentKernel: tf.Tensor2D; // [u, G*u]
  /** `[G*u]`, GRU resetAfter `[2, 3u]`, or null (no bias). */
  bias?: tf.Tensor | null;
}

/** One cell of a recurrence: its kind, weights and activations (Keras defaults tanh / sigmoid when absent). */
export interface CellRun {
  kind: RecurrentCellKind;
  weights: CellWeights;
  /** GRU only (default true, as Keras). */
  resetAfter?: boolean;
  activation?: ActivationFn;
  recurrentActivation?: ActivationFn;
  /** Dropout rates, drawn as one mask per call in training (Keras `dropout`, `recurrent_dropout`). */
  dropout?: number;
  recurrentDropout?: number;
}

/** The dropout masks of one cell for one call: 0 or 1/(1-rate), `[batch, inputDim]` and `[batch, units]`. */
export interface DropoutMasks {
  dropoutMask: tf.Tensor2D | null;
  recurrentDropoutMask: tf.Tensor2D | null;
}

/** A cell with the masks of this call. */
export type MaskedCellRun = CellRun & { masks: DropoutMasks };

/** What a cell gives the time loop for one call: the per-step inputs and the step that consumes them. */
export interface SequencePlan {
  /** Inputs of the loop, usually the input projection for all steps: `[batch, time, k]`. */
  inputs: tf.Tensor3D;
  step: RnnStepFunction;
}

/** Units of a cell (rows of its recurrent kernel). */
export function cellUnits(run: CellRun): number {
  return run.weights.recurrentKernel.shape[0];
}

/** Draws the masks of one call (input mask first, then recurrent), or nulls outside training / at rate 0. */
export function drawDropoutMasks(batch: number, inputDim: number, units: number, rates: { dropout?: number; recurrentDropout?: number }, training: boolean): DropoutMasks {
  const draw = (n: number, rate: number) => (training && rate > 0 ? (tf.dropout(tf.ones([batch, n]), rate) as tf.Tensor2D) : null);
  return { dropoutMask: draw(inputDim, rates.dropout ?? 0), recurrentDropoutMask: draw(units, rates.recurrentDropout ?? 0) };
}

/** Draws the masks of every cell of a stack, cell by cell (the order both paths use, so draws match). */
export function maskCells(runs: CellRun[], batch: number, inputDim: number, training: boolean): MaskedCellRun[] {
  let dim = inputDim;
  return runs.map((run) => {
    const units = cellUnits(run);
    const masks = drawDropoutMasks(batch, dim, units, run, training);
    dim = units;
    return { ...run, masks };
  });
}

/** The pure-cell pieces of one cell: the input projection (all steps or one) and the recurrent step. */
interface CellPieces {
  projectAll(inputs: tf.Tensor3D): tf.Tensor3D; // [batch, time, in] -> [batch, time, G*u]
  projectOne(x: tf.Tensor2D): tf.Tensor2D; // [batch, in] -> [batch, G*u]
  recurrent(xProj: tf.Tensor2D, states: tf.Tensor2D[]): tf.Tensor2D[];
}

function pieces(run: MaskedCellRun): CellPieces {
  const { kernel, recurrentKernel } = run.weights;
  const bias = run.weights.bias ?? null;
  const { dropoutMask, recurrentDropoutMask } = run.masks;
  const opts: CellStepOptions = { activation: run.activation ?? 'tanh', recurrentActivation: run.recurrentActivation ?? 'sigmoid', recurrentDropoutMask };
  if (run.kind === 'gru') {
    const prepared = gruPrepare({ kernel, recurrentKernel, bias: bias as tf.Tensor1D | tf.Tensor2D | null, resetAfter: run.resetAfter ?? true });
    return {
      projectAll: (inputs) => gruProjectInputs(prepared, inputs, dropoutMask),
      projectOne: (x) => projectStep(x, prepared.kernel, prepared.inputBias, dropoutMask),
      recurrent: (xp, states) => gruRecurrentStep(prepared, xp, states as GruState, opts),
    };
  }
  const params = { kernel, recurrentKernel, bias: bias as tf.Tensor1D | null };
  if (run.kind === 'lstm') {
    return {
      projectAll: (inputs) => lstmProjectInputs(params, inputs, dropoutMask),
      projectOne: (x) => projectStep(x, kernel, params.bias, dropoutMask),
      recurrent: (xp, states) => lstmRecurrentStep(params, xp, states as LstmState, opts),
    };
  }
  return {
    projectAll: (inputs) => simpleRnnProjectInputs(params, inputs, dropoutMask),
    projectOne: (x) => projectStep(x, kernel, params.bias, dropoutMask),
    recurrent: (xp, states) => simpleRnnRecurrentStep(params, xp, states as SimpleRnnState, opts),
  };
}

function asStep(recurrent: CellPieces['recurrent'], project?: CellPieces['projectOne']): RnnStepFunction {
  return (x, states) => {
    const next = recurrent(project ? project(x) : x, states);
    return { output: next[0] as tf.Tensor2D, states: next };
  };
}

/** Plans one cell over a whole sequence `[batch, time, in]`: the input projection for all steps, then the recurrent step. */
export function planCell(run: MaskedCellRun, inputs: tf.Tensor3D): SequencePlan {
  const p = pieces(run);
  return { inputs: p.projectAll(inputs), step: asStep(p.recurrent) }; // inputs [batch, time, G*u]
}

/** One cell as a step on raw inputs `[batch, in]` (a single step, or an upper cell of a stack). */
export function cellStepFunction(run: MaskedCellRun): RnnStepFunction {
  const p = pieces(run);
  return asStep(p.recurrent, p.projectOne);
}

/** Steps run one after the other inside one time step; states are flat, cell by cell (`[h1, (c1,) h2, ...]`). */
export function chainSteps(steps: RnnStepFunction[], stateCounts: number[]): RnnStepFunction {
  return (x, states) => {
    let input = x;
    let pos = 0;
    const next: tf.Tensor2D[] = [];
    steps.forEach((step, i) => {
      const n = stateCounts[i] as number;
      const r = step(input, states.slice(pos, pos + n));
      pos += n;
      next.push(...r.states);
      input = r.output;
    });
    return { output: input, states: next };
  };
}

/** A stack of cells as one plan: the first cell's projection for all steps, the upper cells per step. */
export function planStack(runs: MaskedCellRun[], inputs: tf.Tensor3D): SequencePlan {
  const [first, ...rest] = runs as [MaskedCellRun, ...MaskedCellRun[]];
  const plan = planCell(first, inputs);
  if (rest.length === 0) return plan;
  const steps = [plan.step, ...rest.map((r) => cellStepFunction(r))];
  return { inputs: plan.inputs, step: chainSteps(steps, runs.map((r) => CELL_STATES[r.kind])) };
}
