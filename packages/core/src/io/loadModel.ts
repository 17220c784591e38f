// loadLayersModel: reads model artifacts from anywhere (memory, path, URL, IOHandler), normalizes
// the topology (tfjs / Keras 2 / Keras 3), builds the model with rnnkit's layer classes and loads
// the weights by name. On any failure nothing is left behind: no model, no tensors.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, isRnnkitError } from '../errors';
import { MODEL_JSON, artifactsForJson, fileSystem } from './fileSystem';
import { parseModelJson } from './limits';
import { readManifestWeights } from './manifest';
import { type FetchModelOptions, urlModelFiles } from './modelFiles';
import { type JsonObject, collectLayerClassNames, normalizeTopology } from './normalize';
import { type StoredWeight, decodeStoredWeights, layerConfigsByName, matchWeights, targetLayers } from './weights';
import { type CustomObjects, ioCustomObjects, withClasses } from './customObjects';
import { installMaskedPredict } from './maskedGraph';
import { renameKerasLayout } from './kerasLayout';
import { kerasArtifactsFromSource } from './keras/index';
import type { ModelBytes } from './bytes';

/**
 * Where a model comes from: artifacts, a model.json path / folder (Node), an http(s) URL, an
 * IOHandler, or a Keras `.keras` / `.h5` file as a path, a URL, bytes or a Blob / File.
 */
export type ModelSource = string | tf.io.ModelArtifacts | tf.io.IOHandler | ModelBytes;

/** Options of {@link loadLayersModel}. */
export interface LoadLayersModelOptions {
  /** Extra layer classes (className -> [class, fromConfig]), tried before rnnkit's and tfjs's. */
  customObjects?: CustomObjects;
  /** `fetch` to use for URLs (default: the global one). */
  fetchFunc?: typeof fetch;
  /** Request options for URLs (headers, credentials). */
  requestInit?: RequestInit;
  /**
   * For URLs: let the manifest name weight files on other origins than model.json's. Default false:
   * such a path is refused with `UNSAFE_PATH` (see `FetchModelOptions.allowCrossOrigin`).
   */
  allowCrossOrigin?: boolean;
}

function isHandler(source: object): source is tf.io.IOHandler {
  return typeof (source as tf.io.IOHandler).load === 'function';
}

const SCHEME = /^[a-z][\w+.-]*:\/\//i;

/** True in Node.js (paths are files there; in browsers they are URLs relative to the page). */
function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node != null;
}

/**
 * Loads model.json from a URL (the file itself, or its folder) and its weights with the checks of
 * {@link readManifestWeights}: same-origin paths unless `allowCrossOrigin`, sizes before bodies, finite values.
 */
function urlHandler(source: string, options: LoadLayersModelOptions): tf.io.IOHandler {
  const fetchOptions: FetchModelOptions = {};
  if (options.fetchFunc) fetchOptions.fetch = options.fetchFunc;
  if (options.requestInit) fetchOptions.requestInit = options.requestInit;
  if (options.allowCrossOrigin) fetchOptions.allowCrossOrigin = true;
  return {
    load: async () => {
      const files = urlModelFiles(source, fetchOptions);
      const last = new URL(source, files.location).pathname.split('/').pop() ?? '';
      const name = /\.json$/i.test(last) ? last : MODEL_JSON;
      const text = await files.text(name);
      if (text === null) throw new RnnkitError('IO_ERROR', `Expected a model.json at ${files.location}${name}. Received: HTTP 404`);
      const json = parseModelJson(text, `${files.location}${name}`);
      if (json == null || typeof json !== 'object' || Array.isArray(json) || !('modelTopology' in json || 'weightsManifest' in json)) {
        throw new RnnkitError('INVALID_MODEL', `Expected ${files.location}${name} to be a TensorFlow.js model.json with "modelTopology" and "weightsManifest". Received other JSON.`);
      }
      const modelJson = json as tf.io.ModelJSON;
      const weights = modelJson.weightsManifest == null ? undefined : await readManifestWeights(files, modelJson.weightsManifest);
      files.done();
      return artifactsForJson(modelJson, weights);
    },
  };
}

/** The IOHandler for a source, or null when the source is already artifacts. */
function handlerFor(source: Exclude<ModelSource, ModelBytes>, options: LoadLayersModelOptions): tf.io.IOHandler | null {
  if (typeof source === 'string') {
    const loadOptions: tf.io.LoadOptions = {};
    if (options.fetchFunc) loadOptions.fetchFunc = options.fetchFunc;
    if (options.requestInit) loadOptions.requestInit = options.requestInit;
    if (/^https?:\/\//i.test(source) || (!isNode() && !SCHEME.test(source))) return urlHandler(source, options);
    if (/^file:\/\//i.test(source) || !SCHEME.test(source)) return fileSystem(source);
    const handlers = tf.io.getLoadHandlers(source, loadOptions); // indexeddb://, localstorage://, ...
    if (handlers.length === 1) return handlers[0] as tf.io.IOHandler;
    throw new RnnkitError('INVALID_ARGUMENT', `Expected a path, an http(s) URL or a URL scheme tfjs has one handler for. Received: "${source}" (${handlers.length} handlers)`);
  }
  if (source != null && typeof source === 'object' && isHandler(source)) return source;
  return null;
}

async function readArtifacts(source: ModelSource, options: LoadLayersModelOptions): Promise<tf.io.ModelArtifacts> {
  // Keras files (.keras zip, .h5 HDF5), told by their first bytes; everything else is model.json.
  const keras = await kerasArtifactsFromSource(source, options);
  if (keras) return keras;
  const handler = handlerFor(source as Exclude<ModelSource, ModelBytes>, options);
  if (!handler) {
    if (source == null || typeof source !== 'object' || !('modelTopology' in source)) {
      throw new RnnkitError('INVALID_ARGUMENT', 'Expected a model source: ModelArtifacts, a path, a URL or an IOHandler with load(). Received something else.');
    }
    return source as tf.io.ModelArtifacts;
  }
  if (typeof handler.load !== 'function') {
    throw new RnnkitError('INVALID_ARGUMENT', 'Expected an IOHandler with a load() method. Received a handler without one.');
  }
  try {
    return await handler.load();
  } catch (cause) {
    if (isRnnkitError(cause)) throw cause;
    throw new RnnkitError('IO_ERROR', `Could not read the model: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** Every layer class name this loader can build: the caller's, rnnkit's, then stock tfjs's layers. */
function knownClasses(custom: CustomObjects): Set<string> {
  const stock = Object.entries(tf.serialization.SerializationMap.getMap().classNameMap)
    .filter(([, [cls]]) => (cls as { prototype?: unknown }).prototype instanceof tf.layers.Layer)
    .map(([name]) => name);
  return new Set([...Object.keys(custom), ...stock]);
}

export type { CustomObjects };

/** Variables registered with the engine right now (to remove those a failed load created). */
function variableIds(): Set<string> {
  return new Set(Object.keys(tf.engine().registeredVariables));
}

function disposeNewVariables(before: Set<string>): void {
  const vars = tf.engine().registeredVariables;
  for (const [name, v] of Object.entries(vars)) {
    if (!before.has(name) && !v.isDisposed) v.dispose();
  }
}

/**
 * Builds a model from artifacts: normalizes the topology, checks the layer classes
 * (`UNKNOWN_CLASS`), deserializes with rnnkit's classes and loads the weights by name
 * (`WEIGHT_MISMATCH`, `INVALID_MODEL`). Disposes everything it made if anything fails.
 */
export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts, options: LoadLayersModelOptions = {}): Promise<tf.LayersModel> {
  const format = (artifacts as { format?: string }).format;
  if (format === 'graph-model' || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new RnnkitError('INVALID_MODEL', 'Expected a layers model (format "layers-model"). Received a graph model: use tf.loadGraphModel.');
  }
  if (artifacts.modelTopology == null) {
    throw new RnnkitError('INVALID_MODEL', 'Expected model artifacts with a modelTopology. Received none (weights only?).');
  }
  const { modelConfig } = normalizeTopology(artifacts.modelTopology);
  const custom = ioCustomObjects(options.customObjects);
  const known = knownClasses(custom);
  const unknown = collectLayerClassNames(modelConfig).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new RnnkitError(
      'UNKNOWN_CLASS',
      `Unknown layer class ${unknown.map((n) => `"${n}"`).join(', ')} in the model file. Expected one of: ${[...known].sort().join(', ')}. Pass custom layers in options.customObjects.`,
    );
  }
  const before = variableIds();
  let model: tf.LayersModel | null = null;
  let stored: StoredWeight[] = [];
  try {
    // Every weight is overwritten below (counts and shapes are checked), so skip the initializers.
    const hasWeights = (artifacts.weightSpecs?.length ?? 0) > 0;
    model = await deserialize(modelConfig, hasWeights ? { ...zeroInitModelClasses(), ...custom } : custom);
    stored = decodeStoredWeights(artifacts.weightSpecs ?? [], artifacts.weightData);
    const named = renameKerasLayout(stored, modelConfig); // Keras 3 .keras paths -> layer names
    const assignments = matchWeights(targetLayers(model, layerConfigsByName(modelConfig)), named);
    for (const { layer, values } of assignments) if (values.length > 0) layer.setWeights(values);
    installMaskedPredict(model);
    return model;
  } catch (err) {
    try {
      model?.dispose();
    } catch {
      // a model that failed half-way may refuse dispose(); its variables go below
    }
    disposeNewVariables(before);
    if (isRnnkitError(err)) throw err;
    // tfjs failing on a config it accepted (e.g. `kernel_constraint: []` breaks setWeights): the model file is at fault
    throw new RnnkitError('INVALID_MODEL', `Could not load the weights into the model built from its topology: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  } finally {
    stored.forEach((w) => w.tensor.dispose());
  }
}

/**
 * The model classes (`Sequential`, `Model` / `Functional`) with a `fromConfig` that builds every layer
 * with tfjs's fast weight initialization: `addWeight` fills zeros instead of running the layer's
 * initializer (orthogonal on a [256, 1024] recurrent kernel takes a QR decomposition), and the layers
 * keep their initializer objects, so `getConfig()` reports the model's own initializers. For loading
 * only, where the stored weights replace every initial value.
 */
function zeroInitModelClasses(): CustomObjects {
  type FromConfig = (cls: unknown, config: unknown, customObjects: unknown, fastWeightInit: boolean) => unknown;
  const map = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, [unknown, FromConfig] | undefined>;
  const out: Record<string, [unknown, FromConfig]> = {};
  for (const name of ['Sequential', 'Model', 'Functional']) {
    const entry = map[name];
    if (!entry) continue;
    const [cls, fromConfig] = entry;
    out[name] = [cls, (c, config, customObjects) => fromConfig(c, config, customObjects ?? {}, true)];
  }
  return out as unknown as CustomObjects;
}

async function deserialize(modelConfig: JsonObject, custom: CustomObjects): Promise<tf.LayersModel> {
  try {
    // Classes go into tfjs's map only: passing customObjects too sends nested lookups down tfjs 4.22's
    // broken global-custom-objects branch (it reads the key 'className').
    return await withClasses(custom, () => tf.models.modelFromJSON({ modelTopology: modelConfig } as tf.io.ModelJSON as never));
  } catch (cause) {
    if (isRnnkitError(cause)) throw cause;
    const message = (cause as Error)?.message ?? String(cause);
    const code = /Unknown (layer|object)/i.test(message) ? 'UNKNOWN_CLASS' : 'INVALID_MODEL';
    throw new RnnkitError(code, `Could not build the model from its topology: ${message.split('\n')[0]}`, { cause });
  }
}

/**
 * Loads a layers model saved by tfjs / rnnkit, converted from Keras 2.x / 3.x by
 * tensorflowjs_converter, or a Keras file itself: a Keras 3 `.keras` zip or a `.h5` full model
 * (Keras 2.x, tf.keras, Keras 3), told apart by their first bytes. `source`: `tf.io.ModelArtifacts`,
 * a model.json path or its folder (Node), a `.keras` / `.h5` path (Node), an http(s) URL of either,
 * bytes (`Uint8Array`, `ArrayBuffer`), a `Blob` / `File` (browser), or any `tf.io.IOHandler`. Errors are `RnnkitError`s: `IO_ERROR`, `INVALID_MODEL`,
 * `UNKNOWN_CLASS`, `WEIGHT_MISMATCH`, `UNSUPPORTED`.
 */
export async function loadLayersModel(source: ModelSource, options: LoadLayersModelOptions = {}): Promise<tf.LayersModel> {
  const artifacts = await readArtifacts(source, options);
  return modelFromArtifacts(artifacts, options);
}
