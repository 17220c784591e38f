// A trainable Embedding layer, config-compatible with tf.layers.embedding, with a gradient that works on wasm.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '@rnnkit/core';
import { embeddingLookup } from './lookup';

/** A tfjs initializer object, e.g. `tf.initializers.glorotUniform({})`. */
export type TfInitializer = ReturnType<typeof tf.initializers.zeros>;

/** A serialized initializer, as in a model.json: `{ className: 'RandomUniform', config: {...} }`. */
export interface SerializedInitializer {
  className: string;
  config: Record<string, unknown>;
}

/** Initializer names accepted in {@link EmbeddingArgs.embeddingsInitializer}. */
export type InitializerName =
  | 'randomUniform'
  | 'randomNormal'
  | 'truncatedNormal'
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heUniform'
  | 'heNormal'
  | 'leCunUniform'
  | 'leCunNormal'
  | 'zeros'
  | 'ones';

/** Constructor arguments of {@link Embedding}: those of `tf.layers.embedding`. */
export interface EmbeddingArgs {
  /** Vocabulary size: ids are in `0..inputDim-1`. */
  inputDim: number;
  /** Size of each vector. */
  outputDim: number;
  /** Treat id 0 as padding: the layer outputs a mask `ids != 0` for the following layers. Default false. */
  maskZero?: boolean;
  /** Initializer of the matrix. Default `randomUniform` in [-0.05, 0.05] (Keras's default). */
  embeddingsInitializer?: InitializerName | SerializedInitializer | TfInitializer;
  /** Train the matrix (fine-tune) or keep it frozen. Default true. */
  trainable?: boolean;
  /** Fixed input length, when known. */
  inputLength?: number | number[];
  /** Initial weights, e.g. `[pretrained.toTensor()]`. */
  weights?: tf.Tensor[];
  name?: string;
  inputShape?: Array<number | null>;
  batchInputShape?: Array<number | null>;
  batchSize?: number;
  dtype?: tf.DataType;
}

const INITIALIZERS: Record<InitializerName, () => TfInitializer> = {
  randomUniform: () => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 }),
  randomNormal: () => tf.initializers.randomNormal({}),
  truncatedNormal: () => tf.initializers.truncatedNormal({}),
  glorotUniform: () => tf.initializers.glorotUniform({}),
  glorotNormal: () => tf.initializers.glorotNormal({}),
  heUniform: () => tf.initializers.heUniform({}),
  heNormal: () => tf.initializers.heNormal({}),
  leCunUniform: () => tf.initializers.leCunUniform({}),
  leCunNormal: () => tf.initializers.leCunNormal({}),
  zeros: () => tf.initializers.zeros(),
  ones: () => tf.initializers.ones(),
};

function resolveInitializer(init: EmbeddingArgs['embeddingsInitializer']): TfInitializer {
  if (init === undefined) return INITIALIZERS.randomUniform();
  if (init instanceof tf.serialization.Serializable) return init as TfInitializer;
  if (typeof init === 'string') {
    const make = INITIALIZERS[init as InitializerName] as (() => TfInitializer) | undefined;
    if (!make) throw new RnnkitError('INVALID_ARGUMENT', `Expected embeddingsInitializer to be one of ${Object.keys(INITIALIZERS).join(', ')}. Received: ${JSON.stringify(init)}`);
    return make();
  }
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[init.className];
  if (!entry) throw new RnnkitError('UNKNOWN_CLASS', `Expected a registered initializer class. Received: className=${JSON.stringify(init.className)}`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, init.config as tf.serialization.ConfigDict) as TfInitializer;
}

function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} to be a positive integer. Received: ${name}=${String(v)}`);
}

/**
 * A trainable embedding layer, a drop-in for `tf.layers.embedding` (same config, `className`
 * `'Embedding'`, so saved models load with stock tfjs too). Its gradient goes through
 * {@link embeddingLookup}: it works on `wasm` (where `tf.layers.embedding` cannot be trained) and costs
 * O(tokens × dim) instead of O(vocabulary) per token on `cpu`.
 */
export class Embedding extends tf.layers.Layer {
  /** Same class name as tfjs/Keras, so saved configs are interchangeable. */
  static className = 'Embedding';
  /** Vocabulary size. */
  readonly inputDim: number;
  /** Vector size. */
  readonly outputDim: number;
  /** Whether id 0 is padding and masked. */
  readonly maskZero: boolean;
  /** Fixed input length, if any. */
  readonly inputLength: number | number[] | undefined;
  private readonly initializer: TfInitializer;
  private embeddings: tf.LayerVariable | null = null;

  /** Creates the layer; throws INVALID_ARGUMENT for a non-positive-integer `inputDim` or `outputDim`. */
  constructor(args: EmbeddingArgs) {
    const { inputDim, outputDim, maskZero, embeddingsInitializer, inputLength, ...base } = args;
    const layerArgs: Record<string, unknown> = { ...base };
    if (args.batchInputShape == null && args.inputShape == null) {
      const lens = inputLength == null ? [null] : Array.isArray(inputLength) ? inputLength : [inputLength];
      layerArgs.batchInputShape = [args.batchSize ?? null, ...lens];
    }
    super(layerArgs as unknown as ConstructorParameters<typeof tf.layers.Layer>[0]);
    checkPositiveInt('inputDim', inputDim);
    checkPositiveInt('outputDim', outputDim);
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.maskZero = maskZero ?? false;
    this.supportsMasking = this.maskZero;
    this.inputLength = inputLength;
    this.initializer = resolveInitializer(embeddingsInitializer);
  }

  override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], 'float32', this.initializer, undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (this.inputLength == null) return [...shape, this.outputDim];
    const lens = Array.isArray(this.inputLength) ? this.inputLength : [this.inputLength];
    return [shape[0] ?? null, ...lens, this.outputDim];
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    if (!this.maskZero) return null as unknown as tf.Tensor; // tfjs's convention for "no mask"

    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.tidy(() => tf.notEqual(x, tf.zerosLike(x)));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const ids = x.dtype === 'int32' ? x : tf.cast(x, 'int32'); // [batch, ...]
      const table = (this.embeddings as tf.LayerVariable).read(); // [vocab, dim]
      return embeddingLookup(table, ids); // [batch, ..., dim]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: { className: this.initializer.getClassName(), config: this.initializer.getConfig() },
      embeddingsRegularizer: null,
      activityRegularizer: null,
      embeddingsConstraint: null,
      maskZero: this.maskZero,
      inputLength: this.inputLength ?? null,
    };
    return { ...config, ...super.getConfig() };
  }

  /** Builds from a config (as `getConfig` returns or a model.json holds). */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const args = { ...config } as Record<string, unknown>;
    for (const k of ['embeddingsRegularizer', 'activityRegularizer', 'embeddingsConstraint', 'inputLength']) if (args[k] == null) delete args[k];
    return new cls(args as unknown as tf.serialization.ConfigDict);
  }
}

/** Creates an {@link Embedding} layer (the `tf.layers.embedding(args)` factory form). */
export function embedding(args: EmbeddingArgs): Embedding {
  return new Embedding(args);
}

/**
 * Makes `tf.loadLayersModel` / `tf.models.modelFromJSON` build rnnkit's {@link Embedding} for every layer
 * of class `Embedding` (including Keras/tfjs models), so they train on `wasm`. Process-wide; opt-in.
 */
export function registerEmbedding(): void {
  tf.serialization.registerClass(Embedding);
}
