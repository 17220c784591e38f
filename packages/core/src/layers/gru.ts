// Owns GRU, as Keras's gru.py: the cell layer `GRUCell` (gates z, r, h; both `resetAfter` variants),
// the sequence layer `GRU` (RNN around a GRUCell, flat config) and their factories `gruCell`, `gru`.
import type * as tf from '@tensorflow/tfjs';
import { RNN_DEFAULTS } from '../cells/defaults';
import type { CellRun } from '../recurrence/composite';
import { BasicCell, type GatedCellArgs } from './cellBase';
import { checkBool } from './layerConfig';
import { RNN, flatSequenceConfig, splitSequenceArgs, type RNNOptions } from './rnn';

/** Arguments of `GRUCell` (Keras `GRUCell`). */
export interface GRUCellArgs extends GatedCellArgs {
  /** Apply the reset gate after the recurrent product (Keras default true; bias `[2, 3u]`). */
  resetAfter?: boolean;
}

/** Keras `GRUCell`, gates z, r, h, both `resetAfter` variants. State `[h]`. */
export class GRUCell extends BasicCell {
  static className = 'GRUCell';
  readonly resetAfter: boolean;

  constructor(args: GRUCellArgs) {
    super(args, 3);
    this.resetAfter = checkBool('resetAfter', args.resetAfter ?? RNN_DEFAULTS.resetAfter);
  }

  override get stateSize(): number[] {
    return [this.units];
  }

  protected readonly kind = 'gru' as const;

  override cellRun(): CellRun {
    const run = super.cellRun();
    run.resetAfter = this.resetAfter;
    return run;
  }

  /** Itself, unless a subclass (which may step differently). */
  override recurrentCells(): CellRun[] | null {
    return this.isExactly(GRUCell) ? [this.cellRun()] : null;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, resetAfter: this.resetAfter };
  }
}

/** Arguments of `GRU` (flat, as Keras). */
export type GRULayerArgs = GRUCellArgs & RNNOptions;

/** Keras `GRU` layer: `RNN(GRUCell)` with a flat config (`resetAfter` defaults to true, as Keras). */
export class GRU extends RNN {
  static override className = 'GRU';
  declare readonly cell: GRUCell;

  constructor(args: GRULayerArgs) {
    const { layer, cell } = splitSequenceArgs(args);
    super({ ...layer, cell: new GRUCell({ ...cell, name: 'gru_cell' }) });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return flatSequenceConfig(super.getConfig(), this.cell);
  }
}

/** `layers.gruCell(args)`. */
export const gruCell = (args: GRUCellArgs): GRUCell => new GRUCell(args);
/** `layers.gru(args)`: a Keras-exact GRU layer (`resetAfter: true` by default). */
export const gru = (args: GRULayerArgs): GRU => new GRU(args);
