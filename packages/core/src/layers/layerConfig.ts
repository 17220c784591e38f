// Owns the layers' argument handling: Keras-style checks of units, rates and booleans, resolving and
// serializing initializers / regularizers / constraints, the base layer config, and the weight-count
// check behind every setWeights.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { fastOrthogonal } from './orthogonal';

/** tfjs's initializer, regularizer and constraint types (their base classes are not exported by tfjs). */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;
export type Regularizer = ReturnType<typeof tf.regularizers.l1l2>;
export type Constraint = ReturnType<typeof tf.constraints.maxNorm>;

/** A serialized tfjs object, as `getConfig()` writes it: `{ className, config }`. */
export interface SerializedObject {
  className: string;
  config: tf.serialization.ConfigDict;
}

/** An initializer, regularizer or constraint: a tfjs identifier (`'glorotUniform'`, `'glorot_uniform'`), its serialized form, or an instance. */
export type Identifier<T> = string | SerializedObject | T;

/** Base config of `tf.layers.Layer` (name, inputShape, batchInputShape, trainable, dtype, ...). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

const KINDS = {
  initializer: ['Zeros', 'Ones', 'Constant', 'RandomUniform', 'RandomNormal', 'TruncatedNormal', 'Identity', 'VarianceScaling', 'GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'LeCunNormal', 'LeCunUniform', 'Orthogonal'],
  regularizer: ['L1L2'],
  constraint: ['MaxNorm', 'UnitNorm', 'NonNeg', 'MinMaxNorm'],
} as const;

type Kind = keyof typeof KINDS;

function classFor(kind: Kind, id: string, what: string): string {
  const key = id.replace(/_/g, '').toLowerCase();
  const found = (KINDS[kind] as readonly string[]).find((c) => c.toLowerCase() === key);
  if (found) return found;
  if (kind === 'regularizer' && (key === 'l1' || key === 'l2')) return 'L1L2';
  throw new RnnkitError('INVALID_ARGUMENT', `Expected ${what} to be one of ${KINDS[kind].join(', ')} (or their tfjs/Keras identifiers). Received: ${what}=${describeValue(id)}`);
}

function deserialize<T>(kind: Kind, id: Identifier<T> | null | undefined, what: string): T | null {
  if (id == null) return null;
  let className: string;
  let config: tf.serialization.ConfigDict = {};
  if (typeof id === 'string') {
    className = classFor(kind, id, what);
    const k = id.replace(/_/g, '').toLowerCase();
    if (k === 'l1') config = { l1: 0.01, l2: 0 };
    if (k === 'l2') config = { l1: 0, l2: 0.01 };
  } else if (typeof id === 'object' && typeof (id as SerializedObject).className === 'string' && !(id instanceof tf.serialization.Serializable)) {
    className = (id as SerializedObject).className;
    config = (id as SerializedObject).config ?? {};
  } else {
    return id as T;
  }
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new RnnkitError('UNKNOWN_CLASS', `Expected ${what} to name a registered class. Received: className=${describeValue(className)}`);
  if (className === 'Orthogonal') return fastOrthogonal(config as { gain?: number; seed?: number }) as unknown as T;
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config) as unknown as T;
}

/** Resolves an initializer identifier to a tfjs initializer (null stays null). */
export function resolveInitializer(id: Identifier<Initializer> | null | undefined, what = 'initializer'): Initializer | null {
  return deserialize<Initializer>('initializer', id, what);
}
/** Resolves a regularizer identifier to a tfjs regularizer (null stays null). */
export function resolveRegularizer(id: Identifier<Regularizer> | null | undefined, what = 'regularizer'): Regularizer | null {
  return deserialize<Regularizer>('regularizer', id, what);
}
/** Resolves a constraint identifier to a tfjs constraint (null stays null). */
export function resolveConstraint(id: Identifier<Constraint> | null | undefined, what = 'constraint'): Constraint | null {
  return deserialize<Constraint>('constraint', id, what);
}

/** Serializes a tfjs object as tfjs does in `getConfig()`: `{ className, config }`, or null. */
export function serializeObject(obj: tf.serialization.Serializable | null): SerializedObject | null {
  if (obj == null) return null;
  return { className: obj.getClassName(), config: obj.getConfig() };
}

/** Validates `units`: a positive integer. */
export function checkUnits(units: unknown): number {
  if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected units to be a positive integer. Received: units=${describeValue(units)}`);
  }
  return units;
}

/** Validates a dropout rate in [0, 1). */
export function checkRate(name: string, rate: unknown): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} to be a number in [0, 1). Received: ${name}=${describeValue(rate)}`);
  }
  return rate;
}

/** Validates a boolean option. */
export function checkBool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} to be a boolean. Received: ${name}=${describeValue(value)}`);
  }
  return value;
}

/** Returns the base Layer config keys (name, trainable, dtype, batchInputShape) from a layer's config. */
export function pickBaseConfig(config: tf.serialization.ConfigDict): tf.serialization.ConfigDict {
  const out: tf.serialization.ConfigDict = {};
  for (const k of ['name', 'trainable', 'batchInputShape', 'dtype'] as const) {
    if (config[k] !== undefined) out[k] = config[k];
  }
  return out;
}

/** Checks weight values against a layer's variables (count and shapes); throws `WEIGHT_MISMATCH`. */
export function checkWeightValues(layerName: string, variables: tf.LayerVariable[], values: tf.Tensor[]): void {
  if (values.length !== variables.length) {
    throw new RnnkitError('WEIGHT_MISMATCH', `Expected ${variables.length} weight(s) for layer ${layerName} (${variables.map((v) => v.originalName).join(', ')}). Received: ${values.length} weight(s)`);
  }
  variables.forEach((v, i) => {
    const got = (values[i] as tf.Tensor).shape;
    if (got.length !== v.shape.length || got.some((d, k) => d !== v.shape[k])) {
      throw new RnnkitError('WEIGHT_MISMATCH', `Expected weight ${v.originalName} of layer ${layerName} to have shape [${v.shape.join(',')}]. Received: shape=[${got.join(',')}]`);
    }
  });
}
