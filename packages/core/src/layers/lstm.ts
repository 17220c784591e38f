// Owns LSTM, as Keras's lstm.py: the cell layer `LSTMCell` (gates i, f, c, o; unit forget bias), the
// sequence layer `LSTM` (RNN around an LSTMCell, flat config) and their factories `lstmCell`, `lstm`.
import * as tf from '@tensorflow/tfjs';
import { RNN_DEFAULTS } from '../cells/defaults';
import type { CellRun } from '../recurrence/composite';
import { BasicCell, type GatedCellArgs } from './cellBase';
import { checkBool } from './layerConfig';
import { RNN, flatSequenceConfig, splitSequenceArgs, type RNNOptions } from './rnn';

/** Arguments of `LSTMCell` (Keras `LSTMCell`). */
export interface LSTMCellArgs extends GatedCellArgs {
  /** Add 1 to the forget-gate bias at initialization (Keras default true). */
  unitForgetBias?: boolean;
}

/** Keras `LSTMCell`, gates i, f, c, o. States `[h, c]`. */
export class LSTMCell extends BasicCell {
  static className = 'LSTMCell';
  readonly unitForgetBias: boolean;

  constructor(args: LSTMCellArgs) {
    super(args, 4);
    this.unitForgetBias = checkBool('unitForgetBias', args.unitForgetBias ?? RNN_DEFAULTS.unitForgetBias);
  }

  override get stateSize(): number[] {
    return [this.units, this.units];
  }

  protected readonly kind = 'lstm' as const;

  /** Itself, unless a subclass (which may step differently). */
  override recurrentCells(): CellRun[] | null {
    return this.isExactly(LSTMCell) ? [this.cellRun()] : null;
  }

  protected override initialBias(): tf.Tensor | null {
    if (!this.unitForgetBias) return null;
    const u = this.units;
    return tf.tidy(() => tf.concat([this.biasInitializer.apply([u]), tf.ones([u]), this.biasInitializer.apply([2 * u])])); // [4u]
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, unitForgetBias: this.unitForgetBias };
  }
}

/** Arguments of `LSTM` (flat, as Keras). */
export type LSTMLayerArgs = LSTMCellArgs & RNNOptions;

/** Keras `LSTM` layer: `RNN(LSTMCell)` with a flat config. */
export class LSTM extends RNN {
  static override className = 'LSTM';
  declare readonly cell: LSTMCell;

  constructor(args: LSTMLayerArgs) {
    const { layer, cell } = splitSequenceArgs(args);
    super({ ...layer, cell: new LSTMCell({ ...cell, name: 'lstm_cell' }) });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return flatSequenceConfig(super.getConfig(), this.cell);
  }
}

/** `layers.lstmCell(args)`. */
export const lstmCell = (args: LSTMCellArgs): LSTMCell => new LSTMCell(args);
/** `layers.lstm(args)`: a Keras-exact LSTM layer. */
export const lstm = (args: LSTMLayerArgs): LSTM => new LSTM(args);
