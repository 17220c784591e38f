// Owns Keras `StackedRNNCells` (several cells stepped one after the other inside one time loop, flat
// states, `RNNCell_<i>/` weight names) and its `stackedRNNCells` factory. Serialized cells are rebuilt
// through deserialize.ts, the one class lookup.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import type { RnnStepFunction } from '../rnn';
import { chainSteps, type CellRun } from '../recurrence/composite';
import { BasicCell, RecurrentCellLayer, type SequencePlan } from './cellBase';
import { deserializeCell } from './deserialize';
import type { BaseLayerArgs, SerializedObject } from './layerConfig';

/** Arguments of `StackedRNNCells`. */
export interface StackedRNNCellsArgs extends BaseLayerArgs {
  /** The cells, first (closest to the input) first; cell layers or their serialized form. */
  cells: Array<RecurrentCellLayer | SerializedObject>;
}

/**
 * Keras `StackedRNNCells`: several cells run one after the other inside one time loop; the output of
 * each cell is the input of the next. States are flat, cell by cell: `[h1, (c1,) h2, (c2,) ...]`.
 */
export class StackedRNNCells extends RecurrentCellLayer {
  static className = 'StackedRNNCells';
  readonly cells: RecurrentCellLayer[];

  constructor(args: StackedRNNCellsArgs) {
    super(args);
    if (!Array.isArray(args.cells) || args.cells.length === 0) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected cells to be a non-empty array of cells. Received: cells=${describeValue(args.cells)}`);
    }
    this.cells = args.cells.map((c) => deserializeCell(c));
  }

  override get stateSize(): number[] {
    return this.cells.flatMap((c) => c.stateSize);
  }

  override get outputSize(): number {
    return (this.cells[this.cells.length - 1] as RecurrentCellLayer).outputSize;
  }

  override get trainableWeights(): tf.LayerVariable[] {
    return this.trainable ? this.cells.flatMap((c) => c.trainableWeights) : [];
  }

  override get nonTrainableWeights(): tf.LayerVariable[] {
    return this.trainable ? this.cells.flatMap((c) => c.nonTrainableWeights) : this.cells.flatMap((c) => c.weights);
  }

  override setFastWeightInitDuringBuild(value: boolean): void {
    super.setFastWeightInitDuringBuild(value);
    this.cells.forEach((c) => c.setFastWeightInitDuringBuild(value));
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    let shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    for (const [i, cell] of this.cells.entries()) {
      if (cell instanceof BasicCell) cell.weightPrefix = `RNNCell_${i}/`; // <layer>/RNNCell_<i>/kernel, as tfjs names them
      if (!cell.built) tf.tidy(() => cell.build(shape));
      shape = [shape[0] ?? null, cell.outputSize];
    }
    this.built = true;
  }

  /** The first cell's input projection is precomputed for all steps; the upper cells run per step. */
  override planSequence(inputs: tf.Tensor3D, training: boolean): SequencePlan {
    const [first, ...rest] = this.cells as [RecurrentCellLayer, ...RecurrentCellLayer[]];
    const plan = first.planSequence(inputs, training);
    const steps: RnnStepFunction[] = [plan.step];
    let dim = first.outputSize;
    for (const cell of rest) {
      steps.push(cell.stepFunction(inputs.shape[0], dim, training));
      dim = cell.outputSize;
    }
    return { inputs: plan.inputs, step: this.chain(steps) };
  }

  override stepFunction(batch: number, inputDim: number, training: boolean): RnnStepFunction {
    const steps: RnnStepFunction[] = [];
    let dim = inputDim;
    for (const cell of this.cells) {
      steps.push(cell.stepFunction(batch, dim, training));
      dim = cell.outputSize;
    }
    return this.chain(steps);
  }

  private chain(steps: RnnStepFunction[]): RnnStepFunction {
    return chainSteps(steps, this.cells.map((c) => c.stateSize.length));
  }

  /** The Keras cells of the stack, in order, when every cell is one (see `RecurrentCellLayer.recurrentCells`). */
  override recurrentCells(): CellRun[] | null {
    const runs: CellRun[] = [];
    for (const cell of this.cells) {
      const r = cell.recurrentCells();
      if (!r) return null;
      runs.push(...r);
    }
    return runs;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const cells = this.cells.map((c) => ({ className: c.getClassName(), config: c.getConfig() }));
    return { ...super.getConfig(), cells: cells as unknown as tf.serialization.ConfigDictValue };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls(config as unknown as StackedRNNCellsArgs);
  }
}

/** `layers.stackedRNNCells({ cells })`. */
export const stackedRNNCells = (args: StackedRNNCellsArgs): StackedRNNCells => new StackedRNNCells(args);
