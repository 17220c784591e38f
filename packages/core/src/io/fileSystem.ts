// Node file-system IOHandler (no tfjs-node needed). Loads model.json + weight shards; saves
// atomically: a crash mid-save never leaves a broken model and an existing model is replaced only
// once the new one is complete on disk. Node modules are imported lazily, so browser bundles that
// never call it never touch them.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '../errors';
import { joinWeightData } from './weights';

/** The model file name used when a folder is given. */
export const MODEL_JSON = 'model.json';

type Fs = typeof import('node:fs/promises');
type PathModule = typeof import('node:path');

/** node:fs/promises and node:path, imported lazily (browser bundles never load them). */
export async function nodeModules(): Promise<{ fs: Fs; path: PathModule }> {
  try {
    const [fs, path] = await Promise.all([
      import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises'),
      import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path'),
    ]);
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

/** Reads and parses a model.json, resolving a folder to its model.json. */
async function readModelJson(fs: Fs, p: PathModule, target: string): Promise<{ json: tf.io.ModelJSON; dir: string }> {
  const [jsonDir, name] = splitTarget(p, target);
  let dir = jsonDir;
  let file = p.join(dir, name);
  try {
    const stat = await fs.stat(target.replace(/^file:\/\//, ''));
    if (stat.isDirectory()) {
      dir = target.replace(/^file:\/\//, '');
      file = p.join(dir, MODEL_JSON);
    }
  } catch (cause) {
    throw ioError(`Expected a model.json file or a folder holding one. Received: "${target}" does not exist or cannot be read.`, cause);
  }
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (cause) {
    throw ioError(`Expected a model.json at "${file}". Received: the file cannot be read.`, cause);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new RnnkitError('INVALID_MODEL', `Expected "${file}" to hold JSON. Received ${text.length} characters that do not parse.`, { cause });
  }
  if (json == null || typeof json !== 'object' || !('modelTopology' in json || 'weightsManifest' in json)) {
    throw new RnnkitError('INVALID_MODEL', `Expected "${file}" to be a TensorFlow.js model.json with "modelTopology" and "weightsManifest". Received other JSON.`);
  }
  return { json: json as tf.io.ModelJSON, dir };
}

async function loadArtifacts(target: string): Promise<tf.io.ModelArtifacts> {
  const { fs, path: p } = await nodeModules();
  const { json, dir } = await readModelJson(fs, p, target);
  return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const shard of group.paths) {
        const file = p.join(dir, shard);
        try {
          const data = await fs.readFile(file);
          buffers.push(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
        } catch (cause) {
          throw ioError(`Expected weight file "${file}" listed in the manifest. Received: it cannot be read.`, cause);
        }
      }
    }
    return [specs, tf.io.concatenateArrayBuffers(buffers)];
  });
}

/** Writes a file and flushes it to disk before returning. */
async function writeSynced(fs: Fs, file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (renames) to disk; a no-op where the platform cannot. */
async function syncDir(fs: Fs, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open folders for fsync; renames there are still atomic per file.
  }
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

async function saveArtifacts(target: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new RnnkitError('UNSUPPORTED', 'Expected a layers model topology (JSON). Received binary graph-model topology.');
  }
  const { fs, path: p } = await nodeModules();
  const [dir, jsonName] = splitTarget(p, target);
  const parent = p.dirname(p.resolve(dir));
  const tmp = p.join(parent, `.${p.basename(dir)}.tmp-${uniqueSuffix()}`);
  const weightsName = `weights.${uniqueSuffix()}.bin`;
  const weightData = new Uint8Array(joinWeightData(artifacts.weightData));
  const manifest: tf.io.WeightsManifestConfig = [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }];
  const modelJson = modelJsonFor(artifacts, manifest);
  try {
    // 1. The complete new model in a temp folder beside the target (same file system: renames are atomic).
    await fs.mkdir(parent, { recursive: true });
    await fs.mkdir(tmp);
    await writeSynced(fs, p.join(tmp, weightsName), weightData);
    await writeSynced(fs, p.join(tmp, jsonName), JSON.stringify(modelJson));
    await syncDir(fs, tmp);
    let exists = false;
    try {
      exists = (await fs.stat(dir)).isDirectory();
    } catch {
      exists = false;
    }
    if (!exists) {
      // 2a. New target: one rename publishes the whole folder.
      await fs.rename(tmp, dir);
      await syncDir(fs, parent);
    } else {
      // 2b. Existing target: move the (uniquely named) weights in, then atomically replace model.json.
      const oldWeights = await listedWeightFiles(fs, p.join(dir, jsonName));
      await fs.rename(p.join(tmp, weightsName), p.join(dir, weightsName));
      await syncDir(fs, dir);
      await fs.rename(p.join(tmp, jsonName), p.join(dir, jsonName));
      await syncDir(fs, dir);
      for (const old of oldWeights) {
        if (old !== weightsName && !old.includes('/') && !old.includes('\\')) await fs.rm(p.join(dir, old), { force: true });
      }
      await fs.rm(tmp, { recursive: true, force: true });
    }
  } catch (cause) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw ioError(`Expected to save the model to "${dir}". Received an error while writing.`, cause);
  }
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
