// Model artifacts: model.json (config, vocabulary / BPE fingerprints, a tfjs weights manifest) and
// weights.bin, plus the vocabularies and BPE models as JSON. Written by core's atomic folder writer
// (a temp folder renamed into place); loading checks every fingerprint and weight shape.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, checkWeightsManifest, folderModelFiles, isRnnkitError, parseModelJson, quantizeWeights, readManifestWeights, urlModelFiles, writeFolderAtomic, type FetchModelOptions, type ModelFiles, type Quantization } from '@rnnkit/core';
import { Bpe, Vocab, bpeFingerprint } from '@rnnkit/text';
import { Seq2Seq } from './model';
import { paramShapes } from './params';
import { assertFiniteOutputs } from './probe';
import { resolveConfig, type Seq2SeqConfig } from './config';

export const MODEL_FORMAT = 'rnnkit-seq2seq';

/** What a saved translator holds besides the weights. */
export interface Seq2SeqArtifacts {
  srcVocab: Vocab;
  tgtVocab: Vocab;
  /** BPE models; the same object for a joint model. Absent: whitespace tokens are the units. */
  srcBpe?: Bpe | null;
  tgtBpe?: Bpe | null;
  /** Free-form metadata (training command, seed, figures). */
  meta?: Record<string, unknown>;
}

interface ModelJson {
  format: typeof MODEL_FORMAT;
  version: 1;
  config: Seq2SeqConfig;
  fingerprints: { srcVocab: string; tgtVocab: string; srcBpe: string | null; tgtBpe: string | null };
  meta: Record<string, unknown>;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

/** Options of {@link saveSeq2Seq}. */
export interface SaveOptions {
  /** Weight storage: 'none' (float32, default), 'float16' (half the size), 'uint8' or 'mixed'; dequantized on load. */
  quantization?: Quantization;
}

/** Saves a model and its vocabularies / BPE models to `dir` (atomic). */
export async function saveSeq2Seq(dir: string, model: Seq2Seq, a: Seq2SeqArtifacts, options: SaveOptions = {}): Promise<void> {
  const named = model.variables.map((v, i) => ({ name: (paramShapes(model.config)[i] as [string, number[]])[0], tensor: v as tf.Tensor }));
  const encoded = await tf.io.encodeWeights(named);
  const { data, specs } = quantizeWeights(encoded.specs, encoded.data, options.quantization ?? 'none');
  const json: ModelJson = {
    format: MODEL_FORMAT, version: 1, config: model.getConfig(),
    fingerprints: {
      srcVocab: a.srcVocab.fingerprint, tgtVocab: a.tgtVocab.fingerprint,
      srcBpe: a.srcBpe ? bpeFingerprint(a.srcBpe) : null, tgtBpe: a.tgtBpe ? bpeFingerprint(a.tgtBpe) : null,
    },
    meta: a.meta ?? {},
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  const files: Record<string, string | Uint8Array> = {
    'model.json': JSON.stringify(json, null, 1),
    'weights.bin': new Uint8Array(data),
    'src_vocab.json': JSON.stringify(a.srcVocab.toJSON()),
    'tgt_vocab.json': JSON.stringify(a.tgtVocab.toJSON()),
  };
  if (a.srcBpe) files['src_bpe.json'] = JSON.stringify(a.srcBpe.toJSON());
  if (a.tgtBpe) files['tgt_bpe.json'] = JSON.stringify(a.tgtBpe.toJSON());
  await writeFolderAtomic(dir, files);
}

export interface LoadedSeq2Seq extends Seq2SeqArtifacts {
  model: Seq2Seq;
  meta: Record<string, unknown>;
}

function parseJson<T>(text: string, what: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new RnnkitError('INVALID_MODEL', `Expected ${what} to be JSON. Received: unparsable text in ${where}`, { cause });
  }
}

/** A vocabulary or BPE model read from its file; a malformed one is INVALID_MODEL. */
function parseArtifact<T>(text: string, name: string, where: string, from: (json: never) => T): T {
  const json = parseJson<never>(text, name, where);
  try {
    return from(json);
  } catch (cause) {
    if (isRnnkitError(cause, 'UNSUPPORTED') || isRnnkitError(cause, 'MISMATCH')) throw cause;
    throw new RnnkitError('INVALID_MODEL', `Expected a valid ${name} in ${where}. Received: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Loads a saved model from any {@link ModelFiles} (a folder or a base URL): checks format, config,
 * vocabulary and BPE fingerprints, the weights' byte count and every weight shape before building the
 * model. On failure nothing is left: no model, no tensors.
 */
export async function loadSeq2SeqFrom(files: ModelFiles): Promise<LoadedSeq2Seq> {
  const where = files.location;
  const jsonText = await files.text('model.json');
  if (jsonText === null) throw new RnnkitError('INVALID_MODEL', `Expected a model folder with model.json. Received: none in ${where}`);
  const json = parseModelJson(jsonText, `model.json in ${where}`) as ModelJson | null;
  if (!json || json.format !== MODEL_FORMAT || !json.config || !json.fingerprints || !Array.isArray(json.weightsManifest)) {
    throw new RnnkitError('INVALID_MODEL', `Expected model.json of format "${MODEL_FORMAT}". Received: format=${JSON.stringify(json?.format)} in ${where}`);
  }
  const config = resolveConfig(json.config);
  // paths inside the model (UNSAFE_PATH), dtypes and shapes capped: checked before any file is read
  const groups = checkWeightsManifest(json.weightsManifest, `model.json in ${where}`, files.checkName);
  if (groups.length === 0) throw new RnnkitError('INVALID_MODEL', `Expected a weights manifest group in ${where}. Received: none`);
  const fp = json.fingerprints;
  const required = async (name: string): Promise<string> => {
    const t = await files.text(name);
    if (t === null) throw new RnnkitError('INVALID_MODEL', `Expected ${name} beside model.json. Received: none in ${where}`);
    return t;
  };
  // BPE models are read when model.json records one: a model works exactly as it was trained
  const optional = async (name: string, recorded: string | null): Promise<string | null> => (recorded === null ? null : files.text(name));
  // sizes checked before reading, values finite (core's checks)
  // every read settles before the first failure is thrown, so no progress is reported after it
  const settled = await Promise.allSettled([
    required('src_vocab.json'), required('tgt_vocab.json'), optional('src_bpe.json', fp.srcBpe), optional('tgt_bpe.json', fp.tgtBpe),
    readManifestWeights(files, json.weightsManifest),
  ] as const);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const [srcVocabText, tgtVocabText, srcBpeText, tgtBpeText, weights] = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    string, string, string | null, string | null, Awaited<ReturnType<typeof readManifestWeights>>,
  ];
  const srcVocab = parseArtifact(srcVocabText, 'src_vocab.json', where, (j) => Vocab.fromJSON(j));
  const tgtVocab = parseArtifact(tgtVocabText, 'tgt_vocab.json', where, (j) => Vocab.fromJSON(j));
  const check = (what: string, want: string | null, got: string | null) => {
    if (want !== got) throw new RnnkitError('MISMATCH', `Expected the ${what} the model was trained with (${want}). Received: ${got}`);
  };
  check('source vocabulary', fp.srcVocab, srcVocab.fingerprint);
  check('target vocabulary', fp.tgtVocab, tgtVocab.fingerprint);
  if (srcVocab.size !== config.srcVocabSize || tgtVocab.size !== config.tgtVocabSize) {
    throw new RnnkitError('MISMATCH', `Expected vocabulary sizes ${config.srcVocabSize}/${config.tgtVocabSize}. Received: ${srcVocab.size}/${tgtVocab.size}`);
  }
  const srcBpe = srcBpeText === null ? null : parseArtifact(srcBpeText, 'src_bpe.json', where, (j) => Bpe.fromJSON(j));
  const tgtBpe = tgtBpeText === null ? null : parseArtifact(tgtBpeText, 'tgt_bpe.json', where, (j) => Bpe.fromJSON(j));
  check('source BPE model', fp.srcBpe, srcBpe ? bpeFingerprint(srcBpe) : null);
  check('target BPE model', fp.tgtBpe, tgtBpe ? bpeFingerprint(tgtBpe) : null);
  let decoded: tf.NamedTensorMap;
  try {
    decoded = tf.io.decodeWeights(weights.data, weights.specs);
  } catch (cause) {
    throw new RnnkitError('INVALID_MODEL', `Expected weights matching the manifest in ${where}. Received: a corrupt weights file`, { cause });
  }
  try {
    const values = new Map<string, tf.Tensor>();
    for (const [name, shape] of paramShapes(config)) {
      const t = decoded[name];
      if (!t || t.shape.join(',') !== shape.join(',')) {
        throw new RnnkitError('WEIGHT_MISMATCH', `Expected weight ${name} of shape [${shape.join(',')}]. Received: ${t ? `[${t.shape.join(',')}]` : 'none'}`);
      }
      values.set(name, t);
    }
    const model = new Seq2Seq(json.config, values);
    try {
      assertFiniteOutputs(model, tgtVocab.bosId); // refuse a model whose outputs are NaN/Infinity
    } catch (err) {
      model.dispose();
      throw err;
    }
    files.done();
    return { model, srcVocab, tgtVocab, srcBpe, tgtBpe, meta: json.meta ?? {} };
  } finally {
    tf.dispose(Object.values(decoded));
  }
}

/** Loads a model folder written by {@link saveSeq2Seq} (Node); INVALID_MODEL / MISMATCH / WEIGHT_MISMATCH / IO_ERROR. */
export async function loadSeq2Seq(dir: string): Promise<LoadedSeq2Seq> {
  return loadSeq2SeqFrom(folderModelFiles(dir));
}

/**
 * Loads a model from a base URL (its folder, with or without a trailing slash, or its model.json),
 * with `fetch`: in browsers and workers relative URLs resolve against the page. Same checks and codes
 * as {@link loadSeq2Seq}; a network failure or an HTTP error other than 404 is IO_ERROR.
 */
export async function loadSeq2SeqFromUrl(url: string | URL, options: FetchModelOptions = {}): Promise<LoadedSeq2Seq> {
  return loadSeq2SeqFrom(urlModelFiles(url, options));
}
