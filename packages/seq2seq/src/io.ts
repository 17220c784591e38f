// Model artifacts: model.json (config, vocabulary / BPE fingerprints, a tfjs weights manifest) and
// weights.bin, plus the vocabularies and BPE models as JSON. Written to a temporary folder and renamed
// into place (atomic on one file system); loading checks every fingerprint and weight shape.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, isRnnkitError } from '@rnnkit/core';
import { Bpe, Vocab } from '@rnnkit/text';
import { Seq2Seq } from './model';
import { paramShapes } from './params';
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

/** A stable fingerprint of a BPE model (FNV-1a over its JSON). */
export function bpeFingerprint(bpe: Bpe): string {
  const s = JSON.stringify(bpe.toJSON());
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
    h2 = Math.imul(h2 ^ c, 2246822519) >>> 0;
  }
  return `bpe1-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

/** Writes `files` into `dir` atomically: a sibling temporary folder renamed over the old one. */
export async function writeDirAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const parent = path.dirname(path.resolve(dir));
  const tmp = path.join(parent, `.${path.basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  const old = path.join(parent, `.${path.basename(dir)}.old-${process.pid}-${Date.now()}`);
  try {
    await fs.mkdir(tmp, { recursive: true });
    for (const [name, data] of Object.entries(files)) {
      const fh = await fs.open(path.join(tmp, name), 'w');
      await fh.writeFile(data);
      await fh.sync();
      await fh.close();
    }
    let hadOld = false;
    try {
      await fs.rename(dir, old);
      hadOld = true;
    } catch {
      // no previous folder
    }
    await fs.rename(tmp, dir);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  } catch (cause) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw new RnnkitError('IO_ERROR', `Could not write the model folder ${dir}`, { cause });
  }
}

/** Saves a model and its vocabularies / BPE models to `dir` (atomic). */
export async function saveSeq2Seq(dir: string, model: Seq2Seq, a: Seq2SeqArtifacts): Promise<void> {
  const named = model.variables.map((v, i) => ({ name: (paramShapes(model.config)[i] as [string, number[]])[0], tensor: v as tf.Tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
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
  await writeDirAtomic(dir, files);
}

export interface LoadedSeq2Seq extends Seq2SeqArtifacts {
  model: Seq2Seq;
  meta: Record<string, unknown>;
}

async function readText(file: string): Promise<string> {
  const fs = await import('node:fs/promises');
  try {
    return await fs.readFile(file, 'utf8');
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Could not read ${file}`, { cause });
  }
}

/** Loads a model folder written by {@link saveSeq2Seq}; INVALID_MODEL / MISMATCH / WEIGHT_MISMATCH / IO_ERROR. */
export async function loadSeq2Seq(dir: string): Promise<LoadedSeq2Seq> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  let json: ModelJson;
  try {
    json = JSON.parse(await readText(path.join(dir, 'model.json'))) as ModelJson;
  } catch (cause) {
    if (isRnnkitError(cause, 'IO_ERROR')) throw new RnnkitError('INVALID_MODEL', `Expected a model folder with model.json. Received: ${dir}`, { cause });
    throw new RnnkitError('INVALID_MODEL', `Expected model.json to be JSON. Received: unparsable text in ${dir}`, { cause });
  }
  if (!json || json.format !== MODEL_FORMAT || !json.config || !Array.isArray(json.weightsManifest)) {
    throw new RnnkitError('INVALID_MODEL', `Expected model.json of format "${MODEL_FORMAT}". Received: format=${JSON.stringify(json?.format)}`);
  }
  const config = resolveConfig(json.config);
  const srcVocab = Vocab.fromJSON(await readText(path.join(dir, 'src_vocab.json')));
  const tgtVocab = Vocab.fromJSON(await readText(path.join(dir, 'tgt_vocab.json')));
  const fp = json.fingerprints;
  const check = (what: string, want: string | null, got: string | null) => {
    if (want !== got) throw new RnnkitError('MISMATCH', `Expected the ${what} the model was trained with (${want}). Received: ${got}`);
  };
  check('source vocabulary', fp.srcVocab, srcVocab.fingerprint);
  check('target vocabulary', fp.tgtVocab, tgtVocab.fingerprint);
  if (srcVocab.size !== config.srcVocabSize || tgtVocab.size !== config.tgtVocabSize) {
    throw new RnnkitError('MISMATCH', `Expected vocabulary sizes ${config.srcVocabSize}/${config.tgtVocabSize}. Received: ${srcVocab.size}/${tgtVocab.size}`);
  }
  const loadBpeFile = async (name: string): Promise<Bpe | null> => {
    try {
      await fs.access(path.join(dir, name));
    } catch {
      return null;
    }
    return Bpe.fromJSON(await readText(path.join(dir, name)));
  };
  const srcBpe = await loadBpeFile('src_bpe.json');
  const tgtBpe = await loadBpeFile('tgt_bpe.json');
  check('source BPE model', fp.srcBpe, srcBpe ? bpeFingerprint(srcBpe) : null);
  check('target BPE model', fp.tgtBpe, tgtBpe ? bpeFingerprint(tgtBpe) : null);
  const group = json.weightsManifest[0];
  if (!group) throw new RnnkitError('INVALID_MODEL', 'Expected a weights manifest group. Received: none');
  let buf: Buffer;
  try {
    buf = await fs.readFile(path.join(dir, group.paths[0] ?? 'weights.bin'));
  } catch (cause) {
    throw new RnnkitError('INVALID_MODEL', `Expected the weights file of ${dir}. Received: none`, { cause });
  }
  let decoded: tf.NamedTensorMap;
  try {
    decoded = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, group.weights);
  } catch (cause) {
    throw new RnnkitError('INVALID_MODEL', `Expected weights matching the manifest in ${dir}. Received: a truncated or corrupt weights file`, { cause });
  }
  const values = new Map<string, tf.Tensor>();
  for (const [name, shape] of paramShapes(config)) {
    const t = decoded[name];
    if (!t || t.shape.join(',') !== shape.join(',')) {
      tf.dispose(Object.values(decoded));
      throw new RnnkitError('WEIGHT_MISMATCH', `Expected weight ${name} of shape [${shape.join(',')}]. Received: ${t ? `[${t.shape.join(',')}]` : 'none'}`);
    }
    values.set(name, t);
  }
  const model = new Seq2Seq(json.config, values);
  tf.dispose(Object.values(decoded));
  return { model, srcVocab, tgtVocab, srcBpe, tgtBpe, meta: json.meta ?? {} };
}
