// Owns the base classes of the cell layers: RecurrentCellLayer (what the RNN layer runs) and BasicCell
// (weights, config and dropout of the three Keras cells, which run as pure cells through src/recurrence).
import * as tf from '@tensorflow/tfjs';
import { getActivation, canonicalActivationName, type ActivationFn, type ActivationIdentifier } from '../cells/activations';
import { RNN_DEFAULTS } from '../cells/defaults';
import type { RnnStepFunction } from '../rnn';
import { RnnkitError } from '../errors';
import { cellStepFunction, drawDropoutMasks, planCell, type CellRun, type DropoutMasks, type SequencePlan } from '../recurrence/composite';
import type { RecurrentCellKind } from '../recurrence/gates';
import {
  checkRate, checkUnits, checkWeightValues, resolveConstraint, resolveInitializer, resolveRegularizer, serializeObject,
  type BaseLayerArgs, type Constraint, type Identifier, type Initializer, type Regularizer,
} from './layerConfig';

export type { SequencePlan };

/**
 * Base of the cell layers: a `tf.layers.Layer` that owns one cell's weights and can plan a whole
 * sequence for the time loop. Called alone, `cell.apply([x, ...states])` runs one step and returns
 * `[output, ...newStates]` (as tfjs cells do).
 */
export abstract class RecurrentCellLayer extends tf.layers.Layer {
  /** Sizes of the states (`[units]`, or `[units, units]` for LSTM). */
  abstract get stateSize(): number[];
  /** Size of the output. */
  abstract get outputSize(): number;
  /** Plans a whole sequence `[batch, time, in]`; dropout masks are drawn here when `training`. */
  abstract planSequence(inputs: tf.Tensor3D, training: boolean): SequencePlan;
  /** A step taking raw inputs `[batch, inputDim]` (used for the upper cells of a stack). */
  abstract stepFunction(batch: number, inputDim: number, training: boolean): RnnStepFunction;

  /**
   * The Keras cells this layer runs as (itself, or a stack's cells in order) for the recurrence's fused /
   * composite choice, or null: a custom cell, run through its own `planSequence`.
   */
  recurrentCells(): CellRun[] | null {
    return null;
  }

  /** Zero initial states, `[batch, size]` each. */
  getInitialState(batch: number): tf.Tensor2D[] {
    return this.stateSize.map((d) => tf.zeros([batch, d]) as tf.Tensor2D);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const batch = x[0] ?? null;
    return [[batch, this.outputSize], ...this.stateSize.map((d) => [batch, d])];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const x = list[0] as tf.Tensor2D; // [batch, in]
      if (x.rank !== 2) throw new RnnkitError('INVALID_SHAPE', `Expected cell inputs of rank 2 [batch, features]. Received: shape=[${x.shape.join(',')}]`);
      const batch = x.shape[0];
      const states = list.length > 1 ? (list.slice(1) as tf.Tensor2D[]) : this.getInitialState(batch);
      const r = this.stepFunction(batch, x.shape[1], kwargs?.training === true)(x, states);
      return [r.output, ...r.states];
    });
  }
}

/** Arguments shared by SimpleRNNCell, LSTMCell and GRUCell (tfjs camelCase names of Keras's arguments). */
export interface BasicCellArgs extends BaseLayerArgs {
  /** Positive integer, dimensionality of the output. */
  units: number;
  activation?: ActivationIdentifier | null;
  useBias?: boolean;
  kernelInitializer?: Identifier<Initializer>;
  recurrentInitializer?: Identifier<Initializer>;
  biasInitializer?: Identifier<Initializer>;
  kernelRegularizer?: Identifier<Regularizer> | null;
  recurrentRegularizer?: Identifier<Regularizer> | null;
  biasRegularizer?: Identifier<Regularizer> | null;
  kernelConstraint?: Identifier<Constraint> | null;
  recurrentConstraint?: Identifier<Constraint> | null;
  biasConstraint?: Identifier<Constraint> | null;
  /** Fraction of the inputs dropped (one mask per sequence), in training only. */
  dropout?: number;
  /** Fraction of h_{t-1} dropped in the recurrent product (one mask per sequence), in training only. */
  recurrentDropout?: number;
}

/** Arguments of the gated cells (LSTM, GRU). */
export interface GatedCellArgs extends BasicCellArgs {
  recurrentActivation?: ActivationIdentifier | null;
}

function activationConfig(id: ActivationIdentifier | null | undefined, fallback: string): string {
  if (id === undefined) return fallback;
  if (id === null) return 'linear';
  if (typeof id === 'function') return id.name || 'custom';
  return canonicalActivationName(id);
}

/** Shared weights/config logic of the three Keras cells; `gates` is 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
export abstract class BasicCell extends RecurrentCellLayer {
  readonly units: number;
  readonly activation: ActivationFn;
  readonly recurrentActivation: ActivationFn;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  protected readonly activationName: string;
  protected readonly recurrentActivationName: string;
  protected readonly kernelInitializer: Initializer;
  protected readonly recurrentInitializer: Initializer;
  protected readonly biasInitializer: Initializer;
  protected readonly kernelRegularizer: Regularizer | null;
  protected readonly recurrentRegularizer: Regularizer | null;
  protected readonly biasRegularizer: Regularizer | null;
  protected readonly kernelConstraint: Constraint | null;
  protected readonly recurrentConstraint: Constraint | null;
  protected readonly biasConstraint: Constraint | null;
  kernel: tf.LayerVariable | null = null;
  recurrentKernel: tf.LayerVariable | null = null;
  bias: tf.LayerVariable | null = null;
  /** Prefix of the weight names (StackedRNNCells sets `RNNCell_<i>/`, as tfjs names stacked weights). */
  weightPrefix = '';

  constructor(args: GatedCellArgs, protected readonly gates: number) {
    super(args);
    this.units = checkUnits(args.units);
    this.activationName = activationConfig(args.activation, RNN_DEFAULTS.activation);
    this.recurrentActivationName = activationConfig(args.recurrentActivation, RNN_DEFAULTS.recurrentActivation);
    this.activation = typeof args.activation === 'function' ? args.activation : getActivation(this.activationName);
    this.recurrentActivation = typeof args.recurrentActivation === 'function' ? args.recurrentActivation : getActivation(this.recurrentActivationName);
    this.useBias = args.useBias ?? RNN_DEFAULTS.useBias;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer ?? RNN_DEFAULTS.kernelInitializer, 'kernelInitializer') as Initializer;
    this.recurrentInitializer = resolveInitializer(args.recurrentInitializer ?? RNN_DEFAULTS.recurrentInitializer, 'recurrentInitializer') as Initializer;
    this.biasInitializer = resolveInitializer(args.biasInitializer ?? RNN_DEFAULTS.biasInitializer, 'biasInitializer') as Initializer;
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer, 'kernelRegularizer');
    this.recurrentRegularizer = resolveRegularizer(args.recurrentRegularizer, 'recurrentRegularizer');
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer, 'biasRegularizer');
    this.kernelConstraint = resolveConstraint(args.kernelConstraint, 'kernelConstraint');
    this.recurrentConstraint = resolveConstraint(args.recurrentConstraint, 'recurrentConstraint');
    this.biasConstraint = resolveConstraint(args.biasConstraint, 'biasConstraint');
    this.dropout = checkRate('dropout', args.dropout ?? RNN_DEFAULTS.dropout);
    this.recurrentDropout = checkRate('recurrentDropout', args.recurrentDropout ?? RNN_DEFAULTS.recurrentDropout);
  }

  override get outputSize(): number {
    return this.units;
  }

  /** Shape of the bias weight. */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** Initial bias value (LSTM overrides it for unitForgetBias). */
  protected initialBias(): tf.Tensor | null {
    return null;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = x[x.length - 1];
    if (inputDim == null) throw new RnnkitError('INVALID_SHAPE', `Expected the last input dimension to be known. Received: shape=${JSON.stringify(x)}`);
    const k = this.gates * this.units;
    this.kernel = this.addWeight(`${this.weightPrefix}kernel`, [inputDim, k], 'float32', this.kernelInitializer, this.kernelRegularizer ?? undefined, true, this.kernelConstraint ?? undefined);
    this.recurrentKernel = this.addWeight(`${this.weightPrefix}recurrent_kernel`, [this.units, k], 'float32', this.recurrentInitializer, this.recurrentRegularizer ?? undefined, true, this.recurrentConstraint ?? undefined);
    if (this.useBias) {
      this.bias = this.addWeight(`${this.weightPrefix}bias`, this.biasShape(), 'float32', this.biasInitializer, this.biasRegularizer ?? undefined, true, this.biasConstraint ?? undefined);
      const init = this.initialBias();
      if (init) {
        this.bias.write(init);
        init.dispose();
      }
    }
    this.built = true;
  }

  /** Sets `[kernel, recurrent_kernel, bias?]`; a wrong count or shape throws `WEIGHT_MISMATCH`. */
  override setWeights(weights: tf.Tensor[]): void {
    checkWeightValues(this.name, this.weights, weights);
    super.setWeights(weights);
  }

  /** Draws the dropout masks of one call (0 or 1/(1-rate)), or nulls outside training. */
  dropoutMasks(batch: number, inputDim: number, training: boolean): DropoutMasks {
    return drawDropoutMasks(batch, inputDim, this.units, this, training);
  }

  /** Which Keras cell this is. */
  protected abstract readonly kind: RecurrentCellKind;

  /** This cell with its activations and dropout rates (the pure cell it runs as); `weights` are read when used. */
  cellRun(): CellRun {
    const read = () => this.weightTensors();
    return {
      kind: this.kind, get weights() { return read(); }, activation: this.activation, recurrentActivation: this.recurrentActivation,
      dropout: this.dropout, recurrentDropout: this.recurrentDropout,
    };
  }

  /** True when this object is exactly `cls` (not a subclass, which may override how it steps). */
  protected isExactly(cls: abstract new (...args: never[]) => BasicCell): boolean {
    return Object.getPrototypeOf(this) === cls.prototype;
  }

  override planSequence(inputs: tf.Tensor3D, training: boolean): SequencePlan {
    return planCell({ ...this.cellRun(), masks: this.dropoutMasks(inputs.shape[0], inputs.shape[2], training) }, inputs);
  }

  override stepFunction(batch: number, inputDim: number, training: boolean): RnnStepFunction {
    return cellStepFunction({ ...this.cellRun(), masks: this.dropoutMasks(batch, inputDim, training) });
  }

  /** Current weight values: kernel `[in, k]`, recurrent kernel `[u, k]`, bias (or null). */
  weightTensors(): { kernel: tf.Tensor2D; recurrentKernel: tf.Tensor2D; bias: tf.Tensor | null } {
    if (!this.kernel || !this.recurrentKernel) throw new RnnkitError('INVALID_STATE', `Expected cell ${this.name} to be built before use. Received: built=false`);
    return { kernel: this.kernel.read() as tf.Tensor2D, recurrentKernel: this.recurrentKernel.read() as tf.Tensor2D, bias: this.bias ? this.bias.read() : null };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      kernelInitializer: serializeObject(this.kernelInitializer) as unknown as tf.serialization.ConfigDictValue,
      recurrentInitializer: serializeObject(this.recurrentInitializer) as unknown as tf.serialization.ConfigDictValue,
      biasInitializer: serializeObject(this.biasInitializer) as unknown as tf.serialization.ConfigDictValue,
      kernelRegularizer: serializeObject(this.kernelRegularizer) as unknown as tf.serialization.ConfigDictValue,
      recurrentRegularizer: serializeObject(this.recurrentRegularizer) as unknown as tf.serialization.ConfigDictValue,
      biasRegularizer: serializeObject(this.biasRegularizer) as unknown as tf.serialization.ConfigDictValue,
      kernelConstraint: serializeObject(this.kernelConstraint) as unknown as tf.serialization.ConfigDictValue,
      recurrentConstraint: serializeObject(this.recurrentConstraint) as unknown as tf.serialization.ConfigDictValue,
      biasConstraint: serializeObject(this.biasConstraint) as unknown as tf.serialization.ConfigDictValue,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
    };
  }
}
