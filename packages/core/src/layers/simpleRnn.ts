// Owns SimpleRNN, as Keras's simple_rnn.py: the cell layer `SimpleRNNCell`, the sequence layer
// `SimpleRNN` (RNN around a SimpleRNNCell, flat config) and their factories `simpleRNNCell`, `simpleRNN`.
import type * as tf from '@tensorflow/tfjs';
import type { CellRun } from '../recurrence/composite';
import { BasicCell, type BasicCellArgs } from './cellBase';
import { RNN, flatSequenceConfig, splitSequenceArgs, type RNNOptions } from './rnn';

/** Arguments of `SimpleRNNCell` (Keras `SimpleRNNCell`). */
export type SimpleRNNCellArgs = BasicCellArgs;

/** Keras `SimpleRNNCell`: `h_t = act(x W + b + h_{t-1} U)`. Weights `kernel`, `recurrent_kernel`, `bias`. */
export class SimpleRNNCell extends BasicCell {
  static className = 'SimpleRNNCell';

  constructor(args: SimpleRNNCellArgs) {
    super(args, 1);
  }

  override get stateSize(): number[] {
    return [this.units];
  }

  protected readonly kind = 'simpleRnn' as const;

  /** Itself, unless a subclass (which may step differently). */
  override recurrentCells(): CellRun[] | null {
    return this.isExactly(SimpleRNNCell) ? [this.cellRun()] : null;
  }
}

/** Arguments of `SimpleRNN`: the cell's arguments, the RNN options and the base layer arguments, flat (as Keras). */
export type SimpleRNNLayerArgs = SimpleRNNCellArgs & RNNOptions;

/** Keras `SimpleRNN` layer: `RNN(SimpleRNNCell)` with a flat config. */
export class SimpleRNN extends RNN {
  static override className = 'SimpleRNN';
  declare readonly cell: SimpleRNNCell;

  constructor(args: SimpleRNNLayerArgs) {
    const { layer, cell } = splitSequenceArgs(args);
    super({ ...layer, cell: new SimpleRNNCell({ ...cell, name: 'simple_rnn_cell' }) });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return flatSequenceConfig(super.getConfig(), this.cell);
  }
}

/** `layers.simpleRNNCell(args)`. */
export const simpleRNNCell = (args: SimpleRNNCellArgs): SimpleRNNCell => new SimpleRNNCell(args);
/** `layers.simpleRNN(args)`: a Keras-exact SimpleRNN layer. */
export const simpleRNN = (args: SimpleRNNLayerArgs): SimpleRNN => new SimpleRNN(args);
