// Owns the generic sequence layer, Keras `RNN` (a cell run over the time axis through
// src/recurrence, masks, initial and stateful states), its `rnn` factory, and what the Keras sequence
// layers of simpleRnn.ts, lstm.ts and gru.ts share: their flat arguments split into layer and cell
// arguments, and their flat config.
import * as tf from '@tensorflow/tfjs';
import { RNN_DEFAULTS } from '../cells/defaults';
import { RnnkitError, describeValue } from '../errors';
import type { RnnResult } from '../rnn';
import { runRecurrence } from '../recurrence/run';
import type { RecurrentCellLayer } from './cellBase';
import { deserializeCell } from './deserialize';
import { checkBool, checkWeightValues, type BaseLayerArgs, type SerializedObject } from './layerConfig';
import { StackedRNNCells } from './stackedRnnCells';

/** Options of the RNN layers (Keras `RNN` arguments). */
export interface RNNOptions {
  /** Return the whole output sequence `[batch, time, units]` instead of the last output. */
  returnSequences?: boolean;
  /** Also return the final states: the layer returns `[output, ...states]`. */
  returnState?: boolean;
  /** Process the sequence backwards; with `returnSequences` the sequence is returned reversed (as Keras). */
  goBackwards?: boolean;
  /** Keep the final states of each batch as the initial states of the next (needs a fixed batch size). */
  stateful?: boolean;
  /** Accepted for Keras compatibility; the time loop is always a JavaScript loop. */
  unroll?: boolean;
  /** Output zeros at masked steps instead of repeating the previous output. */
  zeroOutputForMask?: boolean;
}

/** Arguments of the generic `RNN` layer. */
export interface RNNLayerArgs extends BaseLayerArgs, RNNOptions {
  /** A cell layer, an array of cells (stacked), a `StackedRNNCells`, or a serialized cell. */
  cell: RecurrentCellLayer | RecurrentCellLayer[] | SerializedObject;
}

/** Call arguments: `layer.apply(x, { initialState, mask, training })`. */
export interface RNNCallArgs {
  initialState?: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] | null;
  mask?: tf.Tensor | tf.Tensor[] | null;
  training?: boolean;
  [key: string]: unknown;
}

function shapeOf(x: unknown): number[] | null {
  return x != null && typeof x === 'object' && Array.isArray((x as { shape?: unknown }).shape) ? ((x as { shape: number[] }).shape) : null;
}

/**
 * Keras `RNN`: runs a cell over the time axis of `[batch, time, features]` inputs. Supports masks from
 * the previous layer, `initialState` (eager and symbolic), stateful runs, and returns Keras's outputs.
 */
export class RNN extends tf.layers.Layer {
  static className = 'RNN';
  readonly cell: RecurrentCellLayer;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  private states_: tf.Tensor2D[] | null = null;
  private previousStates_: tf.Tensor2D[] | null = null;
  private statefulBatch: number | null = null;

  constructor(args: RNNLayerArgs) {
    super(args);
    const cell = args.cell;
    if (cell == null) throw new RnnkitError('INVALID_ARGUMENT', `Expected cell to be a cell layer. Received: cell=${describeValue(cell)}`);
    this.cell = Array.isArray(cell) ? new StackedRNNCells({ cells: cell }) : deserializeCell(cell);
    this.returnSequences = checkBool('returnSequences', args.returnSequences ?? RNN_DEFAULTS.returnSequences);
    this.returnState = checkBool('returnState', args.returnState ?? RNN_DEFAULTS.returnState);
    this.goBackwards = checkBool('goBackwards', args.goBackwards ?? RNN_DEFAULTS.goBackwards);
    this._stateful = checkBool('stateful', args.stateful ?? RNN_DEFAULTS.stateful);
    this.unroll = checkBool('unroll', args.unroll ?? RNN_DEFAULTS.unroll);
    this.zeroOutputForMask = checkBool('zeroOutputForMask', args.zeroOutputForMask ?? RNN_DEFAULTS.zeroOutputForMask);
    this.supportsMasking = true;
  }

  override get trainableWeights(): tf.LayerVariable[] {
    return this.trainable ? this.cell.trainableWeights : [];
  }

  override get nonTrainableWeights(): tf.LayerVariable[] {
    return this.trainable ? this.cell.nonTrainableWeights : this.cell.weights;
  }

  /** Sets the weights (Keras order: kernel, recurrent_kernel, bias per cell); a wrong count or shape throws `WEIGHT_MISMATCH`. */
  override setWeights(weights: tf.Tensor[]): void {
    checkWeightValues(this.name, this.weights, weights);
    super.setWeights(weights);
  }

  override setFastWeightInitDuringBuild(value: boolean): void {
    super.setFastWeightInitDuringBuild(value);
    this.cell.setFastWeightInitDuringBuild(value);
  }

  /** The current states of a stateful layer (null before the first call). */
  get states(): tf.Tensor2D[] | null {
    return this.states_;
  }

  private get stateSize(): number[] {
    return this.cell.stateSize;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (this.stateful) {
      const batch = x[0];
      if (batch == null) {
        throw new RnnkitError('INVALID_STATE', 'Expected a stateful RNN to know its batch size (pass batchInputShape, or batchShape to tf.input). Received: batch size=null');
      }
      this.statefulBatch = batch;
    }
    if (!this.cell.built) this.cell.build([x[0] ?? null, ...x.slice(2)]);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const batch = x[0] ?? null;
    const units = this.cell.outputSize;
    const out: tf.Shape = this.returnSequences ? [batch, x[1] ?? null, units] : [batch, units];
    return this.returnState ? [out, ...this.stateSize.map((d) => [batch, d])] : out;
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const m = (Array.isArray(mask) ? mask[0] : mask) ?? null;
    const outputMask = this.returnSequences ? m : null;
    return (this.returnState ? [outputMask, ...this.stateSize.map(() => null)] : outputMask) as tf.Tensor | tf.Tensor[];
  }

  private checkInputs(x: unknown, states: unknown[] | null): void {
    const shape = shapeOf(x);
    if (!shape || shape.length !== 3) {
      throw new RnnkitError('INVALID_SHAPE', `Expected ${this.name} input of rank 3 [batch, time, features]. Received: shape=${describeValue(shape)}`);
    }
    if (states == null) return;
    const sizes = this.stateSize;
    if (states.length !== sizes.length) {
      throw new RnnkitError('INVALID_SHAPE', `Expected ${sizes.length} initial state(s) for ${this.name}. Received: ${states.length} state(s)`);
    }
    states.forEach((s, i) => {
      const sh = shapeOf(s);
      const ok = sh && sh.length === 2 && sh[1] === sizes[i] && (sh[0] == null || shape[0] == null || sh[0] === shape[0]);
      if (!ok) throw new RnnkitError('INVALID_SHAPE', `Expected initial state ${i} of ${this.name} to have shape [${shape[0]},${sizes[i]}]. Received: shape=${describeValue(sh)}`);
    });
  }

  /** Like `tf.layers.RNN.apply`: `initialState` may be given in kwargs, eager or symbolic. */
  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs?: RNNCallArgs): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    const { initialState, ...rest } = kwargs ?? {};
    let x = inputs as unknown;
    let states: unknown[] | null = initialState == null ? null : Array.isArray(initialState) ? initialState : [initialState];
    if (Array.isArray(inputs)) {
      x = inputs[0];
      if (inputs.length > 1 && states == null) states = inputs.slice(1);
    }
    this.checkInputs(x, states);
    if (states == null) return super.apply(x as tf.Tensor, rest);
    if (states[0] instanceof tf.SymbolicTensor) return super.apply([x, ...states] as tf.SymbolicTensor[], rest);
    return super.apply(x as tf.Tensor, { ...rest, initialState: states });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: RNNCallArgs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const x = list[0] as tf.Tensor3D; // [batch, time, features]
      let given = (kwargs?.initialState ?? (list.length > 1 ? list.slice(1) : null)) as tf.Tensor[] | tf.Tensor | null;
      if (given != null && !Array.isArray(given)) given = [given];
      this.checkInputs(x, given);
      const rawMask = kwargs?.mask ?? null;
      const mask = (Array.isArray(rawMask) ? rawMask[0] : rawMask) ?? null;
      const batch = x.shape[0];
      if (this.stateful && this.statefulBatch !== null && batch !== this.statefulBatch) {
        throw new RnnkitError('INVALID_SHAPE', `Expected batch size ${this.statefulBatch} for stateful ${this.name}. Received: batch size=${batch}`);
      }
      const initial = (given ?? (this.stateful ? this.currentStates(batch) : this.cell.getInitialState(batch))) as tf.Tensor2D[];
      const r = this.runSequence(x, initial, { mask, training: kwargs?.training === true });
      if (this.stateful) this.keepStates(r.states);
      const output = this.returnSequences ? (r.outputs as tf.Tensor3D) : r.lastOutput;
      if (!this.returnState) return output;
      // Distinct tensor objects, so that a model disposing one output never disposes another.
      const states = r.states.map((s) => (s === output || r.states.indexOf(s) !== r.states.lastIndexOf(s) ? s.clone() : s));
      return [output, ...states];
    });
  }

  /** Runs the recurrence for one call (see `runRecurrence`). */
  protected runSequence(x: tf.Tensor3D, initial: tf.Tensor2D[], opts: { mask: tf.Tensor | null; training: boolean }): RnnResult {
    return runRecurrence(this.cell, x, initial, {
      ...opts, goBackwards: this.goBackwards, returnSequences: this.returnSequences, zeroOutputForMask: this.zeroOutputForMask,
    });
  }

  private currentStates(batch: number): tf.Tensor2D[] {
    if (!this.states_) this.states_ = this.cell.getInitialState(batch).map((s) => tf.keep(s));
    return this.states_;
  }

  /** Keeps copies of the new states; the states used by the previous call are freed now (a gradient may still need the last ones). */
  private keepStates(states: tf.Tensor2D[]): void {
    if (this.previousStates_) tf.dispose(this.previousStates_);
    this.previousStates_ = this.states_;
    this.states_ = states.map((s) => tf.keep(s.clone()));
  }

  /** Resets the states of a stateful layer to zeros, or to the given values (`[batch, size]` each). */
  override resetStates(states?: tf.Tensor | tf.Tensor[]): void {
    if (!this.stateful) throw new RnnkitError('INVALID_STATE', `Expected ${this.name} to be stateful to reset its states. Received: stateful=false`);
    const batch = this.statefulBatch;
    if (batch == null) throw new RnnkitError('INVALID_STATE', `Expected ${this.name} to know its batch size (build it first). Received: batch size=null`);
    const list = states == null ? null : Array.isArray(states) ? states : [states];
    if (list) {
      const sizes = this.stateSize;
      const bad = list.length !== sizes.length || list.some((s, i) => s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== sizes[i]);
      if (bad) throw new RnnkitError('INVALID_SHAPE', `Expected ${sizes.length} state(s) of shapes ${sizes.map((d) => `[${batch},${d}]`).join(', ')}. Received: shapes=${describeValue(list.map((s) => s.shape))}`);
    }
    this.disposeStates();
    this.states_ = list ? list.map((s) => tf.keep(s.clone()) as tf.Tensor2D) : this.cell.getInitialState(batch).map((s) => tf.keep(s));
  }

  private disposeStates(): void {
    if (this.states_) tf.dispose(this.states_);
    if (this.previousStates_) tf.dispose(this.previousStates_);
    this.states_ = null;
    this.previousStates_ = null;
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0) this.disposeStates();
    return result;
  }

  /** RNN options, for subclasses' `getConfig()`. */
  protected rnnConfig(): tf.serialization.ConfigDict {
    return {
      returnSequences: this.returnSequences, returnState: this.returnState, goBackwards: this.goBackwards,
      stateful: this.stateful, unroll: this.unroll, zeroOutputForMask: this.zeroOutputForMask,
    };
  }

  /** Rebuilds the layer from `getConfig()` output (ignores the `customObjects` key tfjs adds). */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const { customObjects: _ignored, ...rest } = config;
    return new cls(rest);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const cell = { className: this.cell.getClassName(), config: this.cell.getConfig() };
    return { ...super.getConfig(), ...this.rnnConfig(), cell: cell as unknown as tf.serialization.ConfigDictValue };
  }
}

/** `layers.rnn({ cell, ... })`: the generic RNN layer around a cell, an array of cells or StackedRNNCells. */
export const rnn = (args: RNNLayerArgs): RNN => new RNN(args);

const BASE_KEYS = ['name', 'inputShape', 'batchInputShape', 'batchSize', 'trainable', 'weights', 'dtype', 'inputDType'] as const;
const RNN_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask'] as const;
const CELL_BASE_KEYS = ['name', 'trainable', 'dtype', 'batchInputShape'] as const;

/** Splits a Keras sequence layer's flat arguments into the layer's (base + RNN options) and the cell's. */
export function splitSequenceArgs<T>(args: T): { layer: BaseLayerArgs & RNNOptions; cell: T } {
  const layer: Record<string, unknown> = {};
  const cell: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const k of [...BASE_KEYS, ...RNN_KEYS]) {
    if (k in cell) {
      layer[k] = cell[k];
      delete cell[k];
    }
  }
  if (layer.dtype !== undefined) cell.dtype = layer.dtype;
  return { layer: layer as BaseLayerArgs & RNNOptions, cell: cell as T };
}

/** A Keras sequence layer's flat config: the RNN config without `cell`, plus the cell's own config without its base layer keys. */
export function flatSequenceConfig(rnnConfig: tf.serialization.ConfigDict, cell: RecurrentCellLayer): tf.serialization.ConfigDict {
  const base = { ...rnnConfig };
  delete base.cell;
  const cellConfig = { ...cell.getConfig() };
  for (const k of CELL_BASE_KEYS) delete cellConfig[k];
  return { ...base, ...cellConfig };
}
