import * as tf from '@tensorflow/tfjs';
import { RNN_DEFAULTS } from '../cells/defaults';
import type { CellRun } from '../recurrence/composite';
import { BasicCell, type BasicCellArgs, type GatedCellArgs } from './cellBase';
import { checkBool } from './layerConfig';

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
