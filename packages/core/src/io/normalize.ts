// Topology normalization: turns every model.json topology users meet (tfjs-layers saves,
// tensorflowjs_converter output for Keras 2.x and Keras 3.x) into the Keras-2-style JSON that
// `tf.models.modelFromJSON` accepts. Pure JSON -> JSON: no tensors, no tfjs calls.
import { RnnkitError, describeValue } from '../errors';
import { MAX_JSON_DEPTH, valueDepth } from './limits';

/** A JSON value as found in model.json files. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** Which producer wrote a topology, as far as it can be told from the JSON. */
export type TopologyFlavor = 'tfjs' | 'keras2' | 'keras3';

/** The result of {@link normalizeTopology}. */
export interface NormalizedTopology {
  /** The model config (`{class_name, config}`) in the form `tf.models.modelFromJSON` accepts. */
  modelConfig: JsonObject;
  /** The producer, guessed from `keras_version` and Keras 3-only fields. */
  flavor: TopologyFlavor;
  /** `keras_version` as written in the file, if any. */
  kerasVersion?: string;
}

/** Keys that Keras 3 adds to serialized objects and that tfjs-layers does not understand. */
const KERAS3_OBJECT_KEYS = ['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id'];

/** Class names Keras / old TensorFlow versions write differently from tfjs-layers. */
const CLASS_ALIASES: Record<string, string> = {
  BatchNormalizationV1: 'BatchNormalization',
  UnifiedGRU: 'GRU',
  UnifiedLSTM: 'LSTM',
  LecunNormal: 'LeCunNormal',
  LecunUniform: 'LeCunUniform',
  IdentityInitializer: 'Identity',
  OrthogonalInitializer: 'Orthogonal', // Keras 3's name for Orthogonal
};

/** Keras's L1 / L2 regularizers as tfjs's L1L2. */
function regularizerAlias(className: string, config: Json | undefined): JsonObject | null {
  if (className !== 'L1' && className !== 'L2') return null;
  const c = isJsonObject(config) ? config : {};
  const given = c[className.toLowerCase()];
  const value = typeof given === 'number' ? given : 0.01;
  return { class_name: 'L1L2', config: className === 'L1' ? { l1: value, l2: 0 } : { l1: 0, l2: value } };
}

/** Layer classes whose call-time options are moved into their config (tfjs cannot carry them). */
const ATTENTION_CLASSES = new Set(['Attention', 'AdditiveAttention']);
const ATTENTION_CALL_OPTIONS = ['use_causal_mask', 'return_attention_scores'];

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return value != null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(message: string): RnnkitError {
  return new RnnkitError('INVALID_MODEL', message);
}

/** Reads the producer's `keras_version` and tells Keras 3 from Keras 2 and tfjs-layers. */
function detectFlavor(topology: JsonObject, modelConfig: JsonObject): { flavor: TopologyFlavor; kerasVersion?: string } {
  const version = topology['keras_version'];
  const kerasVersion = typeof version === 'string' ? version : undefined;
  if (kerasVersion?.startsWith('tfjs')) return { flavor: 'tfjs', kerasVersion };
  if (kerasVersion?.startsWith('3')) return { flavor: 'keras3', kerasVersion };
  if (kerasVersion?.startsWith('2')) return { flavor: 'keras2', kerasVersion };
  const text = JSON.stringify(modelConfig);
  const keras3 = text.includes('"__keras_tensor__"') || text.includes('"registered_name"') || text.includes('"batch_shape"');
  return { flavor: keras3 ? 'keras3' : 'keras2', kerasVersion };
}

/**
 * Normalizes a `modelTopology` (the whole object with `model_config`, or the bare
 * `{class_name, config}`) into a tfjs-layers model config. Throws `INVALID_MODEL` for JSON that is
 * not a Keras model topology, `UNSUPPORTED` for Keras 3 call arguments tfjs cannot express.
 */
export function normalizeTopology(topology: unknown): NormalizedTopology {
  if (!isJsonObject(topology)) {
    throw invalid(`Expected modelTopology to be a JSON object. Received: ${describeValue(topology)}`.slice(0, 300));
  }
  if (valueDepth(topology) > MAX_JSON_DEPTH) throw invalid(`Expected modelTopology to nest at most ${MAX_JSON_DEPTH} levels deep. Received: deeper`);
  // A deep copy, which also makes every array one of this realm: tfjs tests `instanceof Array`, and
  // JSON parsed by another realm's fetch (Node's undici under a vm sandbox, iframes) would fail it.
  let copy: JsonObject;
  try {
    copy = JSON.parse(JSON.stringify(topology)) as JsonObject;
  } catch (cause) {
    throw new RnnkitError('INVALID_MODEL', `Expected modelTopology to be plain JSON. Received: ${(cause as Error).message}`, { cause });
  }
  const raw = isJsonObject(copy['model_config']) ? copy['model_config'] : copy;
  if (typeof raw['class_name'] !== 'string' || !isJsonObject(raw['config'])) {
    throw invalid(`Expected a model config with "class_name" and "config". Received keys: ${describeValue(Object.keys(raw))}`);
  }
  const { flavor, kerasVersion } = detectFlavor(copy, raw);
  const modelConfig = normalizeObject(raw);
  delete modelConfig['keras_version']; // metadata that tfjs-layers saves beside class_name / config
  delete modelConfig['backend'];
  if (flavor !== 'tfjs') shiftNestedModelNodes(modelConfig);
  checkLayerConfigs(modelConfig);
  return kerasVersion === undefined ? { modelConfig, flavor } : { modelConfig, flavor, kerasVersion };
}

/** True for a serialized Keras object `{class_name, config}`. */
function isSerialized(value: JsonObject): boolean {
  return typeof value['class_name'] === 'string' && 'config' in value;
}

/** A Keras 3 DTypePolicy (`{class_name: 'DTypePolicy', config: {name}}`) as the dtype string tfjs knows. */
function dtypeFromPolicy(value: JsonObject): string {
  const config = value['config'];
  const name = isJsonObject(config) && typeof config['name'] === 'string' ? config['name'] : 'float32';
  // tfjs layers compute in float32: mixed / float16 / bfloat16 / float64 / quantized policies load as float32.
  return name === 'int32' || name === 'bool' || name === 'string' ? name : 'float32';
}

/** Normalizes any JSON value found inside a config. */
function normalizeValue(value: Json): Json {
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (!isJsonObject(value)) return value;
  const className = value['class_name'];
  if (className === '__tuple__' && isJsonObject(value['config'])) {
    const items = value['config']['value'];
    return Array.isArray(items) ? items.map(normalizeValue) : [];
  }
  if (typeof className === 'string' && /DTypePolicy$/.test(className)) return dtypeFromPolicy(value);
  if (isSerialized(value)) return normalizeObject(value);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = normalizeValue(v);
  return out;
}

/** Normalizes one serialized object `{class_name, config, ...}` (a model, layer, cell, initializer). */
function normalizeObject(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (KERAS3_OBJECT_KEYS.includes(k)) continue;
    out[k] = k === 'inbound_nodes' ? v : normalizeValue(v);
  }
  const className = String(obj['class_name']);
  const regularizer = regularizerAlias(className, out['config']);
  if (regularizer) return regularizer;
  out['class_name'] = CLASS_ALIASES[className] ?? className;
  const config = out['config'];
  if (!isJsonObject(config)) return out;
  if (className === 'InputLayer') normalizeInputLayer(config);
  if (Array.isArray(config['layers'])) normalizeContainer(config);
  return out;
}

/** Keras 3 InputLayer: `batch_shape` -> `batch_input_shape`; drops fields tfjs rejects. */
function normalizeInputLayer(config: JsonObject): void {
  if (config['batch_shape'] !== undefined && config['batch_input_shape'] === undefined) {
    config['batch_input_shape'] = config['batch_shape'];
  }
  delete config['batch_shape'];
  delete config['optional'];
  delete config['ragged'];
  if (config['sparse'] === false) delete config['sparse'];
}

/** A `[name, nodeIndex, tensorIndex]` reference list, single or nested, as a list of references. */
function normalizeEndpoints(value: Json | undefined): Json[] {
  if (!Array.isArray(value) || value.length === 0) return [];
  if (typeof value[0] === 'string') return [value];
  return value;
}

/** Normalizes a functional / sequential container config in place: layers and their inbound nodes. */
function normalizeContainer(config: JsonObject): void {
  const layers = config['layers'] as Json[];
  for (const layer of layers) {
    if (!isJsonObject(layer)) throw invalid(`Expected each layer entry to be an object. Received: ${describeValue(layer)}`);
    const nodes = layer['inbound_nodes'];
    if (Array.isArray(nodes)) layer['inbound_nodes'] = nodes.map((node) => normalizeNode(node, layer));
  }
  if ('input_layers' in config) config['input_layers'] = normalizeEndpoints(config['input_layers']);
  if ('output_layers' in config) config['output_layers'] = normalizeEndpoints(config['output_layers']);
}

/** A Keras 3 `__keras_tensor__` as a tfjs inbound entry `[layer, node, tensor, {}]`, or null. */
function tensorRef(value: Json): Json[] | null {
  if (!isJsonObject(value) || value['class_name'] !== '__keras_tensor__') return null;
  const config = value['config'];
  const history = isJsonObject(config) ? config['keras_history'] : null;
  if (!Array.isArray(history) || history.length < 3 || typeof history[0] !== 'string') {
    throw invalid(`Expected a keras_history [layer, node, tensor]. Received: ${describeValue(history)}`);
  }
  return [history[0], history[1] ?? 0, history[2] ?? 0];
}

/** All tensor references in a (possibly nested) value, in order. */
function collectRefs(value: Json, into: Json[][]): Json[][] {
  const ref = tensorRef(value);
  if (ref) into.push(ref);
  else if (Array.isArray(value)) value.forEach((v) => collectRefs(v, into));
  else if (isJsonObject(value)) Object.values(value).forEach((v) => collectRefs(v, into));
  return into;
}

/** Converts one inbound node (Keras 2 list form or Keras 3 `{args, kwargs}` form) to the list form. */
function normalizeNode(node: Json, layer: JsonObject): Json {
  const className = String(layer['class_name']);
  if (Array.isArray(node)) {
    // Keras 2 / tfjs: [[name, node, tensor, kwargs], ...]; take attention call options into the config.
    for (const entry of node) {
      if (Array.isArray(entry) && isJsonObject(entry[3])) entry[3] = moveCallOptions(entry[3], layer, className);
    }
    return node;
  }
  if (!isJsonObject(node) || !('args' in node)) {
    throw invalid(`Expected an inbound node as a list or {args, kwargs}. Received: ${describeValue(node)}`.slice(0, 300));
  }
  const refs = collectRefs(node['args'] ?? [], []);
  const kwargs: JsonObject = {};
  const given = isJsonObject(node['kwargs']) ? node['kwargs'] : {};
  for (const [key, value] of Object.entries(given)) {
    const inner = collectRefs(value, []);
    if (inner.length === 0) {
      if (key !== 'training' && !(key === 'mask' && isAllNull(value))) kwargs[key] = value;
    } else if (key === 'initial_state' || key === 'constants') {
      refs.push(...inner); // tfjs RNN layers take [inputs, ...states] as one input list
    } else {
      throw new RnnkitError(
        'UNSUPPORTED',
        `Layer "${String(layer['name'])}" is called with tensor argument "${key}", which tfjs cannot express. Expected tensors only in the inputs or initial_state.`,
      );
    }
  }
  const options = moveCallOptions(kwargs, layer, className);
  return refs.map((ref) => [...ref, options]);
}

function isAllNull(value: Json): boolean {
  return value === null || (Array.isArray(value) && value.every(isAllNull));
}

/** Attention's call options (`use_causal_mask`, `return_attention_scores`) go to the layer config. */
function moveCallOptions(kwargs: JsonObject, layer: JsonObject, className: string): JsonObject {
  if (!ATTENTION_CLASSES.has(className)) return kwargs;
  const config = layer['config'];
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(kwargs)) {
    if (ATTENTION_CALL_OPTIONS.includes(key) && isJsonObject(config)) {
      if (value === true) config[key] = true;
    } else if (key !== 'training' && key !== 'mask') {
      rest[key] = value;
    }
  }
  return rest;
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** True if tfjs will give this nested model an internal node of its own (it has known inputs). */
function hasInternalNode(layer: JsonObject): boolean {
  if (!MODEL_CLASSES.has(String(layer['class_name']))) return false;
  if (layer['class_name'] !== 'Sequential') return true;
  const config = layer['config'];
  const first = isJsonObject(config) && Array.isArray(config['layers']) ? config['layers'][0] : undefined;
  if (!isJsonObject(first)) return false;
  const firstConfig = first['config'];
  return first['class_name'] === 'InputLayer' || (isJsonObject(firstConfig) && firstConfig['batch_input_shape'] != null);
}

/**
 * Keras numbers a nested model's call nodes without the model's own internal node (Keras's
 * `_should_skip_first_node`); tfjs counts it. Shifts references to such models by one, in every
 * container of the topology.
 */
function shiftNestedModelNodes(model: JsonObject): void {
  const config = model['config'];
  if (!isJsonObject(config) || !Array.isArray(config['layers'])) return;
  const layers = config['layers'].filter(isJsonObject);
  const nested = new Set(layers.filter(hasInternalNode).map((l) => String(l['name'] ?? (l['config'] as JsonObject)['name'])));
  const shift = (ref: Json): void => {
    if (Array.isArray(ref) && typeof ref[0] === 'string' && nested.has(ref[0]) && typeof ref[1] === 'number') ref[1] += 1;
  };
  for (const layer of layers) {
    const nodes = layer['inbound_nodes'];
    if (Array.isArray(nodes)) nodes.forEach((node) => Array.isArray(node) && node.forEach(shift));
    if (MODEL_CLASSES.has(String(layer['class_name']))) shiftNestedModelNodes(layer);
  }
  for (const key of ['input_layers', 'output_layers']) {
    const refs = config[key];
    if (Array.isArray(refs)) refs.forEach(shift);
  }
}

/** Every layer (or cell) class name a normalized model config mentions, nested ones included. */
export function collectLayerClassNames(modelConfig: JsonObject): string[] {
  const names = new Set<string>();
  const visit = (obj: Json): void => {
    if (Array.isArray(obj)) return obj.forEach(visit);
    if (!isJsonObject(obj) || typeof obj['class_name'] !== 'string') return;
    names.add(obj['class_name']);
    const config = obj['config'];
    if (!isJsonObject(config)) return;
    for (const key of ['layers', 'layer', 'backward_layer', 'cell', 'cells']) {
      const inner = config[key];
      if (inner !== undefined) visit(inner);
    }
  };
  visit(modelConfig);
  return [...names];
}

/** tfjs-layers' rule for variable names (`common.ts`): a layer named otherwise fails half-way through building. */
const TENSOR_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

/** Config keys holding a serialized initializer, regularizer or constraint. */
const SERIALIZED_FIELD = /_(initializer|regularizer|constraint)$/;

/**
 * Refuses (`INVALID_MODEL`) what tfjs accepts while building and then fails on half-way, leaving tensors
 * it does not dispose: layer and cell names tfjs cannot turn into variable names (numbers, `-1`, spaces),
 * and initializer / regularizer / constraint fields that are neither null, a name, nor `{class_name, config}`.
 */
function checkLayerConfigs(modelConfig: JsonObject): void {
  const stack: Json[] = [modelConfig];
  while (stack.length > 0) {
    const obj = stack.pop() as Json;
    if (!isJsonObject(obj) || !isJsonObject(obj['config'])) continue;
    const config = obj['config'];
    const nested = [...(Array.isArray(config['layers']) ? config['layers'] : []), ...(Array.isArray(config['cells']) ? config['cells'] : []), config['cell'] ?? null, config['layer'] ?? null, config['forward_layer'] ?? null, config['backward_layer'] ?? null];
    for (const child of nested) {
      if (!isJsonObject(child) || !isJsonObject(child['config'])) continue;
      const name = child['config']['name'];
      if (name !== undefined && (typeof name !== 'string' || !TENSOR_NAME.test(name))) {
        throw invalid(`Expected layer names made of letters, digits and - . _ / (starting with a letter or digit). Received: ${describeValue(name).slice(0, 100)}`);
      }
      for (const [key, value] of Object.entries(child['config'])) {
        if (!SERIALIZED_FIELD.test(key) || value === null || typeof value === 'string') continue;
        if (!isJsonObject(value) || typeof value['class_name'] !== 'string' || !isJsonObject(value['config'] ?? {})) {
          throw invalid(`Expected ${key} of layer ${describeValue(name)} to be null, a name or {class_name, config}. Received: ${describeValue(value).slice(0, 100)}`);
        }
      }
      stack.push(child);
    }
  }
}
