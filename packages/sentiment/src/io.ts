// Saving and loading a classifier folder: model.json + weights (the standard TensorFlow.js layers
// format, the files @rnnkit/core's file-system handler writes) and sentiment.json (labels, preprocessing,
// network config, vocabulary and its fingerprint). Saves go through core's atomic folder writer.
import * as tf from '@tensorflow/tfjs';
import { folderModelFiles, isRnnkitError, loadLayersModel, modelFolderFiles, nodeModules, parseModelJson, quantizeArtifacts, readManifestWeights, RnnkitError, urlModelFiles, writeFolderAtomic, type FetchModelOptions, type FolderFiles, type Quantization } from '@rnnkit/core';
import { Vocab, type VocabJSON } from '@rnnkit/text';
import type { NetworkConfig } from './model';
import { sentimentCustomObjects } from './model';
import type { PreprocessConfig } from './preprocess';


export const SENTIMENT_JSON = 'sentiment.json';

/** The contents of sentiment.json. */
export interface SentimentMeta {
  format: 'rnnkit-sentiment';
  version: 1;
  labels: string[];
  network: NetworkConfig;
  preprocess: PreprocessConfig;
  vocabFingerprint: string;
  vocab: VocabJSON;
  /** Free-form facts about training (data, seed, dev accuracy). */
  info?: Record<string, unknown>;
}

async function nodeFs(): Promise<{ fs: typeof import('node:fs/promises'); path: typeof import('node:path') }> {
  const { fsp: fs, path } = await nodeModules();
  return { fs, path };
}

/** Writes the folder atomically (core's writer); an existing folder is replaced only if it holds a sentiment model or is empty. */
export async function writeClassifier(dir: string, model: tf.LayersModel, meta: SentimentMeta, quantization: Quantization): Promise<void> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a: tf.io.ModelArtifacts) => {
    artifacts = a as tf.io.ModelArtifacts;
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
  }));
  if (!artifacts) throw new RnnkitError('INVALID_STATE', 'Expected the model to produce artifacts. Received: none');
  let files: FolderFiles;
  try {
    files = { ...modelFolderFiles(quantizeArtifacts(artifacts, quantization)), [SENTIMENT_JSON]: JSON.stringify(meta) };
  } catch (cause) {
    if (isRnnkitError(cause)) throw cause;
    throw new RnnkitError('IO_ERROR', `Expected to save the classifier to ${dir}. Received: ${(cause as Error).message}`, { cause });
  }
  await writeFolderAtomic(dir, files, {
    checkExisting: (names) => {
      if (names.length > 0 && !names.includes(SENTIMENT_JSON)) {
        throw new RnnkitError('INVALID_ARGUMENT', `Expected an empty folder or a saved sentiment model to replace. Received: ${dir} holds other files (${names.slice(0, 3).join(', ')})`);
      }
    },
  });
}

/** Parses and checks the text of sentiment.json: INVALID_MODEL for anything else, MISMATCH when the vocabulary does not match its fingerprint. */
export function parseMeta(text: string, file: string): { meta: SentimentMeta; vocab: Vocab } {
  let meta: Partial<SentimentMeta>;
  try {
    meta = JSON.parse(text) as Partial<SentimentMeta>;
  } catch (cause) {
    throw new RnnkitError('INVALID_MODEL', `Expected ${file} to hold JSON. Received: ${text.length} characters that do not parse`, { cause });
  }
  if (meta?.format !== 'rnnkit-sentiment' || !Array.isArray(meta.labels) || !meta.network || !meta.preprocess || !meta.vocab || typeof meta.vocabFingerprint !== 'string') {
    throw new RnnkitError('INVALID_MODEL', `Expected ${file} with format "rnnkit-sentiment", labels, network, preprocess and vocab. Received: format=${JSON.stringify(meta?.format)}`);
  }
  let vocab: Vocab;
  try {
    vocab = Vocab.fromJSON(meta.vocab);
  } catch (cause) {
    if (isRnnkitError(cause, 'MISMATCH')) throw cause;
    throw new RnnkitError('INVALID_MODEL', `Expected a valid vocabulary in ${file}. Received: ${(cause as Error).message}`, { cause });
  }
  if (vocab.fingerprint !== meta.vocabFingerprint) {
    throw new RnnkitError('MISMATCH', `Expected the vocabulary the model was trained with, fingerprint ${meta.vocabFingerprint}. Received: fingerprint ${vocab.fingerprint} in ${file}`);
  }
  return { meta: meta as SentimentMeta, vocab };
}

/** Reads and checks sentiment.json of a folder (see {@link parseMeta}); IO_ERROR when the folder does not exist. */
export async function readMeta(dir: string): Promise<{ meta: SentimentMeta; vocab: Vocab }> {
  const { fs, path } = await nodeFs();
  const file = path.join(dir, SENTIMENT_JSON);
  // core's folder reader: size-capped (MAX_JSON_BYTES), a regular file inside the folder
  const text = await folderModelFiles(dir).text(SENTIMENT_JSON);
  if (text === null) {
    const exists = await fs.stat(dir).then(() => true, () => false);
    throw new RnnkitError(exists ? 'INVALID_MODEL' : 'IO_ERROR', exists ? `Expected a sentiment model folder with ${SENTIMENT_JSON}. Received: ${dir} has none` : `Expected a sentiment model folder. Received: ${dir} does not exist`);
  }
  return parseMeta(text, file);
}

/** Checks a loaded network against sentiment.json (embedding rows, outputs); disposes it and throws MISMATCH if they differ. */
function checkNetwork(model: tf.LayersModel, meta: SentimentMeta, where: string): tf.LayersModel {
  const emb = model.layers.find((l) => l.name === 'embedding' || l.name === 'embedding_m0') as unknown as { inputDim?: number } | undefined;
  const out = model.outputs[0]?.shape;
  const problem = emb?.inputDim !== meta.network.vocabSize ? `embedding rows ${String(emb?.inputDim)} vs vocabulary ${meta.network.vocabSize}`
    : out?.[1] !== meta.labels.length ? `outputs ${String(out?.[1])} vs ${meta.labels.length} labels` : null;
  if (problem) {
    model.dispose();
    throw new RnnkitError('MISMATCH', `Expected model.json to match ${SENTIMENT_JSON} in ${where}. Received: ${problem}`);
  }
  return model;
}

/** Loads the network of a classifier folder; checks it against sentiment.json; leaves no tensors on failure. */
export async function readNetwork(dir: string, meta: SentimentMeta): Promise<tf.LayersModel> {
  let model: tf.LayersModel;
  try {
    model = await loadLayersModel(dir, { customObjects: sentimentCustomObjects() });
  } catch (cause) {
    if (isRnnkitError(cause, 'IO_ERROR')) throw new RnnkitError('INVALID_MODEL', `Expected model.json and weights in ${dir}. Received: ${(cause as Error).message}`, { cause });
    throw cause;
  }
  return checkNetwork(model, meta, dir);
}

/**
 * Reads a classifier from a base URL with `fetch` (see `SentimentClassifier.fromUrl`): sentiment.json,
 * model.json and its weight files. 404 for any of them is INVALID_MODEL, other HTTP and network
 * failures IO_ERROR; the checks of the folder loader follow. Leaves no tensors on failure.
 */
export async function readClassifierFromUrl(url: string | URL, options: FetchModelOptions = {}, assets: Readonly<Record<string, URL>> = {}): Promise<{ meta: SentimentMeta; vocab: Vocab; model: tf.LayersModel }> {
  const files = urlModelFiles(url, options, assets);
  const where = files.location;
  const [metaText, modelText] = await Promise.all([files.text(SENTIMENT_JSON), files.text('model.json')]);
  if (metaText === null) throw new RnnkitError('INVALID_MODEL', `Expected a sentiment model with ${SENTIMENT_JSON}. Received: none at ${where}`);
  const { meta, vocab } = parseMeta(metaText, `${where}${SENTIMENT_JSON}`);
  if (modelText === null) throw new RnnkitError('INVALID_MODEL', `Expected model.json beside ${SENTIMENT_JSON}. Received: none at ${where}`);
  const json = parseModelJson(modelText, `${where}model.json`) as tf.io.ModelJSON | null;
  if (json == null || typeof json !== 'object' || json.modelTopology == null || !Array.isArray(json.weightsManifest)) {
    throw new RnnkitError('INVALID_MODEL', `Expected ${where}model.json to be a TensorFlow.js layers model with "modelTopology" and "weightsManifest". Received: other JSON`);
  }
  // paths on model.json's origin, sizes checked against the manifest, values finite (core's checks)
  const { specs, data } = await readManifestWeights(files, json.weightsManifest);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: specs,
    weightData: data,
  };
  const model = await loadLayersModel(artifacts, { customObjects: sentimentCustomObjects() });
  checkNetwork(model, meta, where);
  files.done();
  return { meta, vocab, model };
}
