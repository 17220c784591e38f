// Owns Keras `Bidirectional` and its `bidirectional` factory: runs a recurrent layer forwards and a copy
// of it backwards over the same sequence and merges the two outputs (keras/src/layers/rnn/bidirectional.py,
// tf.keras wrappers.py). Serialized wrapped layers are rebuilt through deserialize.ts, the one class lookup.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { deserializeLayer, findLayerClass, layerClassNames, type LayerClassEntry } from './deserialize';
import type { BaseLayerArgs, SerializedObject } from './layerConfig';

/** How the forward and backward outputs are combined; `null` returns both, as a list. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';
/** The merge modes, as Keras lists them. */
export const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave'];

/**
 * A layer Bidirectional can wrap (Keras's criteria): a sequence layer with `goBackwards`,
 * `returnSequences` and `returnState`, serializable with `getConfig()` / `fromConfig()`. rnnkit's RNN,
 * SimpleRNN, LSTM and GRU are.
 */
export type RecurrentLayer = tf.layers.Layer & { readonly goBackwards: boolean; readonly returnSequences: boolean; readonly returnState: boolean };

/** Arguments of `Bidirectional` (Keras's `layer`, `merge_mode`, `backward_layer`, `weights`). */
export interface BidirectionalLayerArgs extends BaseLayerArgs {
  /** The recurrent layer to run forwards; a fresh copy of it is used (its weights are not reused). */
  layer: RecurrentLayer | SerializedObject;
  /** 'concat' (default), 'sum', 'mul', 'ave', or null for a list `[forward, backward]`. */
  mergeMode?: MergeMode | null;
  /**
   * The layer to run backwards. Default: a copy of `layer` with `goBackwards` flipped. An explicit
   * one must differ from `layer` in `goBackwards` and match it in `stateful`, `returnSequences` and
   * `returnState`; it is used as is (renamed `backward_<name>`).
   */
  backwardLayer?: RecurrentLayer | SerializedObject | null;
  /** Initial weights: the first half for the forward layer, the second half for the backward layer. */
  weights?: tf.Tensor[];
}

/** Call arguments: `layer.apply(x, { initialState, mask, training })`; `initialState` is split in half. */
export interface BidirectionalCallArgs {
  initialState?: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] | null;
  mask?: tf.Tensor | tf.Tensor[] | null;
  training?: boolean;
  [key: string]: unknown;
}

type LayerClass = tf.serialization.SerializableConstructor<tf.serialization.Serializable>;
type Writable<T> = { -readonly [K in keyof T]: T[K] };

function isRecurrentLayer(x: unknown): x is RecurrentLayer {
  if (!(x instanceof tf.layers.Layer)) return false;
  const l = x as unknown as Record<string, unknown>;
  return typeof l.goBackwards === 'boolean' && typeof l.returnSequences === 'boolean' && typeof l.returnState === 'boolean';
}

function isSerialized(x: unknown): x is SerializedObject {
  return x != null && typeof x === 'object' && !(x instanceof tf.layers.Layer) && typeof (x as SerializedObject).className === 'string';
}

function stripPrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** Instantiates a serialized layer from `customObjects` first, then rnnkit's layer classes. */
function instantiate(what: string, obj: SerializedObject, customObjects?: Record<string, LayerClassEntry>): RecurrentLayer {
  if (!findLayerClass(obj.className, customObjects)) {
    throw new RnnkitError('UNKNOWN_CLASS', `Expected ${what} to be an rnnkit recurrent layer class (${layerClassNames().join(', ')}). Received: className=${describeValue(obj.className)}`);
  }
  return checkRecurrent(what, deserializeLayer(obj, customObjects));
}

function checkRecurrent(what: string, layer: unknown): RecurrentLayer {
  if (!isRecurrentLayer(layer)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${what} to be a recurrent layer (a tf.layers.Layer with goBackwards, returnSequences and returnState). Received: ${what}=${describeValue(layer instanceof tf.layers.Layer ? layer.getClassName() : layer)}`);
  }
  return layer;
}

/** A new layer of the same class from `layer`'s config with `overrides` (Keras recreates layers this way). */
function recreate(layer: RecurrentLayer, overrides: tf.serialization.ConfigDict): RecurrentLayer {
  const cls = layer.constructor as LayerClass;
  return checkRecurrent('layer', cls.fromConfig(cls, { ...layer.getConfig(), ...overrides }));
}

/** Builds `layer` inside its own name scope (so weights are named `<outer>/<layer>/kernel`) by applying it to a placeholder. */
function buildScoped(layer: tf.layers.Layer, inputShape: tf.Shape): void {
  if (layer.built) return;
  layer.apply(tf.input({ batchShape: inputShape, name: `${layer.name}_build_input` }));
}

/**
 * Keras `Bidirectional` wrapper for recurrent layers. The output is the merge of the forward output
 * and the backward output (the backward sequence is flipped back to input order with
 * `returnSequences`); with `returnState` it is `[output(s), ...forwardStates, ...backwardStates]`.
 * Masks go to both layers; with `returnSequences`, masked steps output zeros (Keras forces
 * `zeroOutputForMask = returnSequences` on both layers).
 */
export class Bidirectional extends tf.layers.Layer {
  static className = 'Bidirectional';
  readonly forwardLayer: RecurrentLayer;
  readonly backwardLayer: RecurrentLayer;
  readonly mergeMode: MergeMode | null;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  private readonly layerConfig: SerializedObject;
  private readonly backwardLayerConfig: SerializedObject | null;
  private stateCount = 0;

  constructor(args: BidirectionalLayerArgs) {
    super(args);
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (mergeMode !== null && !MERGE_MODES.includes(mergeMode)) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected mergeMode to be one of concat, sum, mul, ave or null. Received: mergeMode=${describeValue(mergeMode)}`);
    }
    const layer = isSerialized(args.layer) ? instantiate('layer', args.layer) : checkRecurrent('layer', args.layer);
    this.layerConfig = { className: layer.getClassName(), config: layer.getConfig() };
    this.forwardLayer = recreate(layer, { name: `forward_${stripPrefix(layer.name, 'forward_')}` });
    const given = args.backwardLayer == null ? null : isSerialized(args.backwardLayer) ? instantiate('backwardLayer', args.backwardLayer) : checkRecurrent('backwardLayer', args.backwardLayer);
    if (given) {
      this.backwardLayerConfig = { className: given.getClassName(), config: given.getConfig() };
      (given as Writable<tf.layers.Layer>).name = `backward_${stripPrefix(given.name, 'backward_')}`;
      this.backwardLayer = given;
    } else {
      this.backwardLayerConfig = null;
      this.backwardLayer = recreate(layer, { name: `backward_${stripPrefix(layer.name, 'backward_')}`, goBackwards: !layer.goBackwards });
    }
    this.verifyLayers();
    for (const l of [this.forwardLayer, this.backwardLayer]) {
      const w = l as unknown as { zeroOutputForMask?: unknown };
      if (typeof w.zeroOutputForMask === 'boolean') w.zeroOutputForMask = l.returnSequences;
    }
    this.mergeMode = mergeMode;
    this._stateful = layer.stateful;
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
    this.supportsMasking = true;
    this.trainable = args.trainable ?? layer.trainable;
  }

  private verifyLayers(): void {
    const f = this.forwardLayer;
    const b = this.backwardLayer;
    if (f.goBackwards === b.goBackwards) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected the forward and backward layers to have different goBackwards values. Received: forward goBackwards=${f.goBackwards}, backward goBackwards=${b.goBackwards}`);
    }
    for (const key of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (f[key] !== b[key]) {
        throw new RnnkitError('INVALID_ARGUMENT', `Expected the forward and backward layers to have the same ${key}. Received: forward ${key}=${f[key]}, backward ${key}=${b[key]}`);
      }
    }
  }

  override get trainable(): boolean {
    return this.trainable_;
  }

  override set trainable(value: boolean) {
    this.trainable_ = value;
    // The base constructor sets `trainable` before the wrapped layers exist.
    if (this.forwardLayer) this.forwardLayer.trainable = value;
    if (this.backwardLayer) this.backwardLayer.trainable = value;
  }

  override get trainableWeights(): tf.LayerVariable[] {
    return [...this.forwardLayer.trainableWeights, ...this.backwardLayer.trainableWeights];
  }

  override get nonTrainableWeights(): tf.LayerVariable[] {
    return [...this.forwardLayer.nonTrainableWeights, ...this.backwardLayer.nonTrainableWeights];
  }

  /** The forward layer's weights, then the backward layer's (Keras's order). */
  override getWeights(): tf.Tensor[] {
    return [...this.forwardLayer.getWeights(), ...this.backwardLayer.getWeights()];
  }

  /** Sets the forward layer's weights from the first half and the backward layer's from the second. */
  override setWeights(weights: tf.Tensor[]): void {
    const half = Math.floor(weights.length / 2);
    this.forwardLayer.setWeights(weights.slice(0, half));
    this.backwardLayer.setWeights(weights.slice(half));
  }

  /** The current states of stateful wrapped layers: forward states then backward states. */
  get states(): tf.Tensor[] | null {
    const f = (this.forwardLayer as unknown as { states?: tf.Tensor[] | null }).states;
    const b = (this.backwardLayer as unknown as { states?: tf.Tensor[] | null }).states;
    return f && b ? [...f, ...b] : null;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    buildScoped(this.forwardLayer, x);
    buildScoped(this.backwardLayer, x);
    const shapes = this.forwardLayer.computeOutputShape(x);
    this.stateCount = this.returnState ? (shapes as tf.Shape[]).length - 1 : 0;
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const shapes = this.forwardLayer.computeOutputShape(x);
    let out = (this.returnState ? (shapes as tf.Shape[])[0] : shapes) as tf.Shape;
    const stateShapes = this.returnState ? (shapes as tf.Shape[]).slice(1) : [];
    if (this.mergeMode === 'concat') {
      const last = out[out.length - 1];
      out = [...out.slice(0, -1), last == null ? null : last * 2];
    }
    const outs = this.mergeMode === null ? [out, [...out]] : [out];
    if (this.returnState) return [...outs, ...stateShapes, ...stateShapes.map((s) => [...s])];
    return outs.length === 1 ? (outs[0] as tf.Shape) : outs;
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const m = (Array.isArray(mask) ? mask[0] : mask) ?? null;
    const seq = this.returnSequences ? m : null;
    const outMasks = this.mergeMode === null ? [seq, seq] : [seq];
    if (this.returnState) return [...outMasks, ...new Array<null>(2 * this.stateCount).fill(null)] as tf.Tensor[];
    return (outMasks.length === 1 ? outMasks[0] : outMasks) as tf.Tensor | tf.Tensor[];
  }

  /** Like the RNN layers' `apply`: `initialState` may be given in kwargs (eager or symbolic) or after the inputs. */
  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs?: BidirectionalCallArgs): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    const { initialState, ...rest } = kwargs ?? {};
    let x: unknown = inputs;
    let states: unknown[] | null = initialState == null ? null : Array.isArray(initialState) ? initialState : [initialState];
    if (Array.isArray(inputs)) {
      x = inputs[0];
      if (inputs.length > 1 && states == null) states = inputs.slice(1);
    }
    if (states == null || states.length === 0) return super.apply(x as tf.Tensor, rest);
    this.checkStateCount(states.length);
    const symbolic = states.filter((s) => s instanceof tf.SymbolicTensor).length;
    if (symbolic !== 0 && symbolic !== states.length) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected the initial states of ${this.name} to be all symbolic or all concrete tensors. Received: ${symbolic} symbolic of ${states.length}`);
    }
    if (symbolic > 0) return super.apply([x, ...states] as tf.SymbolicTensor[], rest);
    return super.apply(x as tf.Tensor, { ...rest, initialState: states });
  }

  private checkStateCount(n: number): void {
    if (n % 2 !== 0) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected an even number of initial states for ${this.name} (forward states then backward states). Received: ${n} state(s)`);
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: BidirectionalCallArgs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const x = list[0] as tf.Tensor3D; // [batch, time, features]
      const { initialState, ...rest } = kwargs ?? {};
      let states = (initialState ?? (list.length > 1 ? list.slice(1) : null)) as tf.Tensor | tf.Tensor[] | null;
      if (states != null && !Array.isArray(states)) states = [states];
      let fwdArgs: BidirectionalCallArgs = rest;
      let bwdArgs: BidirectionalCallArgs = rest;
      if (states != null && states.length > 0) {
        this.checkStateCount(states.length);
        const half = states.length / 2;
        fwdArgs = { ...rest, initialState: states.slice(0, half) };
        bwdArgs = { ...rest, initialState: states.slice(half) };
      }
      let y = this.forwardLayer.call(x, fwdArgs); // [batch, (time,) units] or [that, ...states]
      let yRev = this.backwardLayer.call(x, bwdArgs); // same, in processing (reversed) order
      let outStates: tf.Tensor[] = [];
      if (this.returnState) {
        const f = y as tf.Tensor[];
        const b = yRev as tf.Tensor[];
        outStates = [...f.slice(1), ...b.slice(1)]; // each [batch, units]
        y = f[0] as tf.Tensor;
        yRev = b[0] as tf.Tensor;
      }
      if (this.returnSequences) yRev = tf.reverse(yRev as tf.Tensor, 1); // [batch, time, units], input order
      const all = [...this.merge(y as tf.Tensor, yRev as tf.Tensor), ...outStates];
      return all.length === 1 ? (all[0] as tf.Tensor) : all;
    });
  }

  private merge(y: tf.Tensor, yRev: tf.Tensor): tf.Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return [tf.concat([y, yRev], -1)]; // [batch, (time,) 2 * units]
      case 'sum':
        return [tf.add(y, yRev)];
      case 'ave':
        return [tf.div(tf.add(y, yRev), 2)];
      case 'mul':
        return [tf.mul(y, yRev)];
      default:
        return [y, yRev];
    }
  }

  /** Resets both wrapped layers' states (Keras `reset_states`); `states`, if given, is split in half. */
  override resetStates(states?: tf.Tensor | tf.Tensor[]): void {
    if (!this.stateful) {
      throw new RnnkitError('INVALID_STATE', `Expected ${this.name} to be stateful to reset its states. Received: stateful=false`);
    }
    if (states == null) {
      this.forwardLayer.resetStates();
      this.backwardLayer.resetStates();
      return;
    }
    const list = Array.isArray(states) ? states : [states];
    this.checkStateCount(list.length);
    type Resettable = { resetStates(states?: tf.Tensor[]): void };
    (this.forwardLayer as unknown as Resettable).resetStates(list.slice(0, list.length / 2));
    (this.backwardLayer as unknown as Resettable).resetStates(list.slice(list.length / 2));
  }

  protected override disposeWeights(): number {
    let n = 0;
    for (const l of [this.forwardLayer, this.backwardLayer]) {
      if (!l.built) continue;
      if ((l as unknown as { _refCount: number | null })._refCount != null) {
        n += l.dispose().numDisposedVariables;
      } else {
        for (const w of l.weights) w.dispose();
        n += l.weights.length;
      }
    }
    return n;
  }

  override setFastWeightInitDuringBuild(value: boolean): void {
    super.setFastWeightInitDuringBuild(value);
    this.forwardLayer.setFastWeightInitDuringBuild(value);
    this.backwardLayer.setFastWeightInitDuringBuild(value);
  }

  /** `{ layer, mergeMode, backwardLayer? }` plus the base layer config; `backwardLayer` only when it was given. */
  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      layer: this.layerConfig as unknown as tf.serialization.ConfigDictValue,
      mergeMode: this.mergeMode,
    };
    if (this.backwardLayerConfig) config.backwardLayer = this.backwardLayerConfig as unknown as tf.serialization.ConfigDictValue;
    return config;
  }

  /** Rebuilds the wrapped layers from their `{ className, config }` with tfjs's `customObjects` or rnnkit's classes. */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const { layer, backwardLayer, customObjects, ...rest } = config as Record<string, unknown>;
    const custom = customObjects as Record<string, LayerClassEntry> | undefined;
    if (!isSerialized(layer)) {
      throw new RnnkitError('INVALID_MODEL', `Expected a Bidirectional config with layer: { className, config }. Received: layer=${describeValue(layer)}`);
    }
    const args: BidirectionalLayerArgs = {
      ...(rest as BaseLayerArgs),
      layer: instantiate('layer', layer, custom),
      backwardLayer: isSerialized(backwardLayer) ? instantiate('backwardLayer', backwardLayer, custom) : null,
    };
    return new cls(args as unknown as tf.serialization.ConfigDict);
  }
}

/** `layers.bidirectional({ layer, mergeMode, backwardLayer, weights })`: Keras's Bidirectional wrapper. */
export function bidirectional(args: BidirectionalLayerArgs): Bidirectional {
  return new Bidirectional(args);
}
