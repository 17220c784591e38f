// Node file-system IOHandler (no tfjs-node needed). Loads model.json + weight shards; saves through
// the shared atomic folder writer (./atomicFolder.ts): a crash mid-save never leaves a broken model and
// an existing model is replaced only once the new one is complete on disk. Node modules come through
// the platform module, so the browser build has none.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, isRnnkitError } from '../errors';
import { joinWeightData } from './weights';
import { parseModelJson } from './limits';
import { readManifestWeights } from './manifest';
import { folderModelFiles } from './modelFiles';
import { nodeModules as platformModules } from '../platform/node';
import { writeFolderAtomic, type FolderFiles } from './atomicFolder';

/** The model file name used when a folder is given. */
export const MODEL_JSON = 'model.json';

type Fs = typeof import('node:fs/promises');
type PathModule = typeof import('node:path');

/** node:fs/promises and node:path, imported lazily (browser bundles never load them). */
export async function nodeModules(): Promise<{ fs: Fs; path: PathModule }> {
  try {
    const { fsp: fs, path } = await platformModules();
    return { fs, path };
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', 'Expected a Node.js runtime for file-system paths. Received: node:fs is unavailable (use a URL or an IOHandler in the browser).', { cause });
  }
}

function ioError(message: string, cause: unknown): RnnkitError {
  return new RnnkitError('IO_ERROR', message, { cause });
}

/** `path` may be the folder or its model.json: returns [folder, json file name]. */
function splitTarget(p: PathModule, target: string): [string, string] {
  const clean = target.replace(/^file:\/\//, '');
  return clean.toLowerCase().endsWith('.json') ? [p.dirname(clean), p.basename(clean)] : [clean, MODEL_JSON];
}

/** Reads and parses a model.json (size and nesting capped), resolving a folder to its model.json. */
async function readModelJson(fs: Fs, p: PathModule, target: string): Promise<{ json: tf.io.ModelJSON; dir: string; name: string }> {
  const [jsonDir, jsonName] = splitTarget(p, target);
  let dir = jsonDir;
  let name = jsonName;
  try {
    const stat = await fs.stat(target.replace(/^file:\/\//, ''));
    if (stat.isDirectory()) {
      dir = target.replace(/^file:\/\//, '');
      name = MODEL_JSON;
    }
  } catch (cause) {
    throw ioError(`Expected a model.json file or a folder holding one. Received: "${target}" does not exist or cannot be read.`, cause);
  }
  const file = p.join(dir, name);
  const text = await folderModelFiles(dir).text(name);
  if (text === null) throw ioError(`Expected a model.json at "${file}". Received: the file cannot be read.`, undefined);
  const json = parseModelJson(text, `"${file}"`);
  if (json == null || typeof json !== 'object' || Array.isArray(json) || !('modelTopology' in json || 'weightsManifest' in json)) {
    throw new RnnkitError('INVALID_MODEL', `Expected "${file}" to be a TensorFlow.js model.json with "modelTopology" and "weightsManifest". Received other JSON.`);
  }
  return { json: json as tf.io.ModelJSON, dir, name };
}

/** The artifacts of a parsed model.json (the fields tfjs's getModelArtifactsForJSON copies) and its weights. */
export function artifactsForJson(json: tf.io.ModelJSON, weights?: { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer }): tf.io.ModelArtifacts {
  const artifacts: tf.io.ModelArtifacts = { modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy };
  if (json.trainingConfig != null) artifacts.trainingConfig = json.trainingConfig;
  if (json.signature != null) artifacts.signature = json.signature;
  if (json.userDefinedMetadata != null) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  if (json.modelInitializer != null) artifacts.modelInitializer = json.modelInitializer;
  if (weights) {
    artifacts.weightSpecs = weights.specs;
    artifacts.weightData = weights.data;
  }
  return artifacts;
}

/**
 * Loads model.json and its weights: the manifest is checked first (paths inside the folder, known
 * dtypes, capped shapes), then the weight files' sizes against it, and only then are they read.
 */
async function loadArtifacts(target: string): Promise<tf.io.ModelArtifacts> {
  const { fs, path: p } = await nodeModules();
  const { json, dir, name } = await readModelJson(fs, p, target);
  if (json.weightsManifest == null) return artifactsForJson(json);
  const weights = await readManifestWeights(folderModelFiles(dir), json.weightsManifest, 'IO_ERROR').catch((err: unknown) => {
    if (isRnnkitError(err, 'IO_ERROR')) throw ioError(`Expected the weight files listed in ${p.join(dir, name)}. Received: ${(err as Error).message}`, err);
    throw err;
  });
  return artifactsForJson(json, weights);
}

function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Weight files a model.json lists (to delete after a replacement). */
async function listedWeightFiles(fs: Fs, file: string): Promise<string[]> {
  try {
    const json = JSON.parse(await fs.readFile(file, 'utf8')) as tf.io.ModelJSON;
    return (json.weightsManifest ?? []).flatMap((g) => g.paths);
  } catch {
    return [];
  }
}

/** The model.json object for artifacts: the fields tfjs writes, in its order. */
function modelJsonFor(artifacts: tf.io.ModelArtifacts, weightsManifest: tf.io.WeightsManifestConfig): tf.io.ModelJSON {
  const json: tf.io.ModelJSON = { modelTopology: artifacts.modelTopology as object, weightsManifest };
  if (artifacts.format !== undefined) json.format = artifacts.format;
  if (artifacts.generatedBy !== undefined) json.generatedBy = artifacts.generatedBy;
  if (artifacts.convertedBy !== undefined) json.convertedBy = artifacts.convertedBy;
  if (artifacts.trainingConfig !== undefined) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature !== undefined) json.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata !== undefined) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return json;
}

/**
 * The files of a saved layers model: one uniquely named weights file (so a save into an existing folder
 * never overwrites the weights its current model.json names), then `jsonName` (the file a reader starts
 * from, last). Used by {@link fileSystem} and by packages that save a model folder with more files in it.
 */
export function modelFolderFiles(artifacts: tf.io.ModelArtifacts, jsonName: string = MODEL_JSON): FolderFiles {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new RnnkitError('UNSUPPORTED', 'Expected a layers model topology (JSON). Received binary graph-model topology.');
  }
  const weightsName = `weights.${uniqueSuffix()}.bin`;
  const manifest: tf.io.WeightsManifestConfig = [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }];
  return {
    [weightsName]: new Uint8Array(joinWeightData(artifacts.weightData)),
    [jsonName]: JSON.stringify(modelJsonFor(artifacts, manifest)),
  };
}

async function saveArtifacts(target: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  const { fs, path: p } = await nodeModules();
  const [dir, jsonName] = splitTarget(p, target);
  let files: FolderFiles;
  try {
    files = modelFolderFiles(artifacts, jsonName);
  } catch (cause) {
    if (isRnnkitError(cause)) throw cause;
    throw ioError(`Expected to save the model to "${dir}". Received an error while writing.`, cause);
  }
  // Merge: other files in the folder are the user's; the weights the old model.json listed go once the new one is in.
  const obsolete = (await listedWeightFiles(fs, p.join(dir, jsonName))).filter((old) => !/[\\/]/.test(old) && old !== '.' && old !== '..');
  await writeFolderAtomic(dir, files, { mode: 'merge', obsolete });
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/**
 * A Node file-system `tf.io.IOHandler` for `path` (a folder, or a `.json` file in it). `load()`
 * reads model.json and its weight shards; `save()` writes model.json plus one weights file
 * atomically (temp folder beside the target, fsync, rename). Errors are `RnnkitError`s
 * (`IO_ERROR`, `INVALID_MODEL`).
 */
export function fileSystem(path: string): tf.io.IOHandler {
  return {
    load: () => loadArtifacts(path),
    save: (artifacts: tf.io.ModelArtifacts) => saveArtifacts(path, artifacts),
  };
}

/** Saves `model` to the folder `path` with {@link fileSystem} (Node). */
export async function saveLayersModel(model: tf.LayersModel, path: string): Promise<tf.io.SaveResult> {
  return model.save(fileSystem(path));
}
