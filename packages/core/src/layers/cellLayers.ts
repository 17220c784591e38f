import * as tf from '@tensorflow/tfjs';
import { projectStep } from '../cells/common';
import { gruPrepare, gruProjectInputs, gruRecurrentStep, type GruState } from '../cells/gru';
import { lstmProjectInputs, lstmRecurrentStep, type LstmState } from '../cells/lstm';
import { simpleRnnProjectInputs, simpleRnnRecurrentStep, type SimpleRnnState } from '../cells/simpleRnn';
import { RNN_DEFAULTS } from '../cells/defaults';
import type { RnnStepFunction } from '../rnn';
import { BasicCell, type BasicCellArgs, type GatedCellArgs, type SequencePlan } from './cellBase';
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

  private params() {
    const w = this.weightTensors();
    return { kernel: w.kernel, recurrentKernel: w.recurrentKernel, bias: w.bias as tf.Tensor1D | null };
  }

  override planSequence(inputs: tf.Tensor3D, training: boolean): SequencePlan {
    const params = this.params();
    const masks = this.dropoutMasks(inputs.shape[0], inputs.shape[2], training);
    const opts = { activation: this.activation, recurrentDropoutMask: masks.recurrentDropoutMask };
    return {
      inputs: simpleRnnProjectInputs(params, inputs, masks.dropoutMask), // [batch, time, u]
      step: (xp, states) => {
        const [h] = simpleRnnRecurrentStep(params, xp, states as SimpleRnnState, opts);
        return { output: h, states: [h] };
      },
    };
  }

  override stepFunction(batch: number, inputDim: number, training: boolean): RnnStepFunction {
    const params = this.params();
    const masks = this.dropoutMasks(batch, inputDim, training);
    const opts = { activation: this.activation, recurrentDropoutMask: masks.recurrentDropoutMask };
    return (x, states) => {
      const [h] = simpleRnnRecurrentStep(params, projectStep(x, params.kernel, params.bias, masks.dropoutMask), states as SimpleRnnState, opts);
      return { output: h, states: [h] };
    };
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

  protected override initialBias(): tf.Tensor | null {
    if (!this.unitForgetBias) return null;
    const u = this.units;
    return tf.tidy(() => tf.concat([this.biasInitializer.apply([u]), tf.ones([u]), this.biasInitializer.apply([2 * u])])); // [4u]
  }

  private params() {
    const w = this.weightTensors();
    return { kernel: w.kernel, recurrentKernel: w.recurrentKernel, bias: w.bias as tf.Tensor1D | null };
  }

  private options(recurrentDropoutMask: tf.Tensor2D | null) {
    return { activation: this.activation, recurrentActivation: this.recurrentActivation, recurrentDropoutMask };
  }

  override planSequence(inputs: tf.Tensor3D, training: boolean): SequencePlan {
    const params = this.params();
    const masks = this.dropoutMasks(inputs.shape[0], inputs.shape[2], training);
    const opts = this.options(masks.recurrentDropoutMask);
    return {
      inputs: lstmProjectInputs(params, inputs, masks.dropoutMask), // [batch, time, 4u]
      step: (xp, states) => {
        const next = lstmRecurrentStep(params, xp, states as LstmState, opts);
        return { output: next[0], states: next };
      },
    };
  }

  override stepFunction(batch: number, inputDim: number, training: boolean): RnnStepFunction {
    const params = this.params();
    const masks = this.dropoutMasks(batch, inputDim, training);
    const opts = this.options(masks.recurrentDropoutMask);
    return (x, states) => {
      const next = lstmRecurrentStep(params, projectStep(x, params.kernel, params.bias, masks.dropoutMask), states as LstmState, opts);
      return { output: next[0], states: next };
    };
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

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  private prepared() {
    const w = this.weightTensors();
    return gruPrepare({ kernel: w.kernel, recurrentKernel: w.recurrentKernel, bias: w.bias as tf.Tensor1D | tf.Tensor2D | null, resetAfter: this.resetAfter });
  }

  private options(recurrentDropoutMask: tf.Tensor2D | null) {
    return { activation: this.activation, recurrentActivation: this.recurrentActivation, recurrentDropoutMask };
  }

  override planSequence(inputs: tf.Tensor3D, training: boolean): SequencePlan {
    const prepared = this.prepared();
    const masks = this.dropoutMasks(inputs.shape[0], inputs.shape[2], training);
    const opts = this.options(masks.recurrentDropoutMask);
    return {
      inputs: gruProjectInputs(prepared, inputs, masks.dropoutMask), // [batch, time, 3u]
      step: (xp, states) => {
        const [h] = gruRecurrentStep(prepared, xp, states as GruState, opts);
        return { output: h, states: [h] };
      },
    };
  }

  override stepFunction(batch: number, inputDim: number, training: boolean): RnnStepFunction {
    const prepared = this.prepared();
    const masks = this.dropoutMasks(batch, inputDim, training);
    const opts = this.options(masks.recurrentDropoutMask);
    return (x, states) => {
      const xp = projectStep(x, prepared.kernel, prepared.inputBias, masks.dropoutMask); // [batch, 3u]
      const [h] = gruRecurrentStep(prepared, xp, states as GruState, opts);
      return { output: h, states: [h] };
    };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, resetAfter: this.resetAfter };
  }
}
