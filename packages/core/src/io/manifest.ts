// The weights manifest of a model.json, checked before any weight file is opened: every path a plain
// relative name inside the model's folder (or, for URLs, on model.json's origin), every entry a known
// dtype with a shape of non-negative integers, the declared total under MAX_WEIGHT_ELEMENTS. Then the
// weight files are read through ModelFiles with their sizes checked before reading and the values
// scanned for NaN / Infinity. Used by core's loaders and by @rnnkit/sentiment and @rnnkit/seq2seq.
import type * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { MAX_WEIGHT_ELEMENTS } from './limits';
import type { ModelFiles } from './modelFilesTypes';
import { checkFiniteWeights } from './finite';

/** Bytes per element of every dtype a manifest may store (after quantization). */
const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };
const DTYPES = new Set(['float32', 'int32', 'bool']);
const QUANTIZED = new Set(['uint8', 'uint16', 'float16']);

/** One manifest group with its checked byte size. */
export interface CheckedGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
  /** Bytes the group's entries occupy in its files. */
  bytes: number;
}

function invalid(message: string): RnnkitError {
  return new RnnkitError('INVALID_MODEL', message.length > 400 ? `${message.slice(0, 400)}...` : message);
}

/**
 * Throws `UNSAFE_PATH` unless `name` is a relative path that stays inside the model's folder: not
 * empty, not absolute (`/x`, `C:\x`, `\\host`), no `..` or `.` segment, no backslash, no NUL, no URL
 * scheme. Subfolders (`shards/1.bin`) are allowed.
 */
export function checkRelativePath(name: unknown, where: string): string {
  const bad = (why: string) =>
    new RnnkitError('UNSAFE_PATH', `Expected weight paths in ${where} to be file names inside the model folder. Received: ${describeValue(name).slice(0, 200)} (${why})`);
  if (typeof name !== 'string' || name.length === 0) throw bad('not a non-empty string');
  if (name.includes('\0')) throw bad('contains NUL');
  if (name.includes('\\')) throw bad('contains a backslash');
  if (name.startsWith('/') || /^[a-z]:/i.test(name)) throw bad('absolute');
  if (/^[a-z][\w+.-]*:/i.test(name)) throw bad('a URL');
  if (name.split('/').some((seg) => seg === '..' || seg === '.' || seg === '')) throw bad('has "..", "." or empty segments');
  return name;
}

/** Elements of a shape, checked: non-negative safe integers, product within the cap. */
function shapeSize(shape: unknown, what: string): number {
  if (!Array.isArray(shape)) throw invalid(`Expected the shape of ${what} to be an array. Received: ${describeValue(shape)}`);
  let size = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw invalid(`Expected the shape of ${what} to hold non-negative integers. Received: ${describeValue(shape)}`);
    }
    size *= d;
    if (size > MAX_WEIGHT_ELEMENTS) throw invalid(`Expected ${what} to hold at most ${MAX_WEIGHT_ELEMENTS} elements. Received shape ${describeValue(shape)}`);
  }
  return size;
}

/** Checks one manifest entry and returns the bytes it occupies in the weight files. */
export function checkWeightEntry(entry: unknown): { elements: number; bytes: number } {
  if (entry == null || typeof entry !== 'object' || Array.isArray(entry)) throw invalid(`Expected a weights manifest entry {name, shape, dtype}. Received: ${describeValue(entry)}`);
  const e = entry as Partial<tf.io.WeightsManifestEntry>;
  if (typeof e.name !== 'string') throw invalid(`Expected a weight name (string). Received: ${describeValue(e.name)}`);
  const what = `weight ${JSON.stringify(e.name)}`;
  const elements = shapeSize(e.shape, what);
  if (typeof e.dtype !== 'string' || !DTYPES.has(e.dtype)) {
    throw new RnnkitError('UNSUPPORTED', `Expected the dtype of ${what} to be float32, int32 or bool. Received: ${describeValue(e.dtype)}`);
  }
  let stored: string = e.dtype;
  const q = e.quantization as unknown;
  if (q !== undefined) {
    const qq = q as { dtype?: unknown; scale?: unknown; min?: unknown };
    if (q == null || typeof q !== 'object' || typeof qq.dtype !== 'string' || !QUANTIZED.has(qq.dtype)) {
      throw new RnnkitError('UNSUPPORTED', `Expected the quantization of ${what} to be uint8, uint16 or float16. Received: ${describeValue(q)}`);
    }
    if (qq.dtype !== 'float16' && !(typeof qq.scale === 'number' && Number.isFinite(qq.scale) && typeof qq.min === 'number' && Number.isFinite(qq.min))) {
      throw invalid(`Expected finite numbers for the scale and min of ${what}. Received: ${describeValue(q)}`);
    }
    stored = qq.dtype;
  }
  return { elements, bytes: elements * (BYTES[stored] as number) };
}

/**
 * Checks a `weightsManifest` (from an untrusted model.json): structure, paths (`checkPath`, default
 * {@link checkRelativePath}; URL loaders pass their origin check),
 * dtypes, shapes and the total element cap. Returns the groups with their byte sizes.
 * Codes: `INVALID_MODEL`, `UNSAFE_PATH`, `UNSUPPORTED`.
 */
export function checkWeightsManifest(manifest: unknown, where: string, checkPath: (name: unknown, where: string) => string = checkRelativePath): CheckedGroup[] {
  if (!Array.isArray(manifest)) throw invalid(`Expected "weightsManifest" in ${where} to be an array of groups. Received: ${describeValue(manifest)}`);
  let elements = 0;
  return manifest.map((group: unknown) => {
    const g = group as { paths?: unknown; weights?: unknown } | null;
    if (g == null || typeof g !== 'object' || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw invalid(`Expected each weights manifest group in ${where} to have "paths" and "weights" arrays. Received: ${describeValue(group)}`);
    }
    const paths = g.paths.map((p) => checkPath(p, where));
    let bytes = 0;
    for (const entry of g.weights as unknown[]) {
      const size = checkWeightEntry(entry);
      elements += size.elements;
      if (elements > MAX_WEIGHT_ELEMENTS) throw invalid(`Expected the weights of ${where} to hold at most ${MAX_WEIGHT_ELEMENTS} elements in all. Received more`);
      bytes += size.bytes;
    }
    if (paths.length === 0 && bytes > 0) throw invalid(`Expected weight files for a manifest group of ${bytes} bytes in ${where}. Received: no paths`);
    return { paths, weights: g.weights as tf.io.WeightsManifestEntry[], bytes };
  });
}

/** Joins buffers into one. */
function concat(buffers: ArrayBuffer[], total: number): ArrayBuffer {
  if (buffers.length === 1 && (buffers[0] as ArrayBuffer).byteLength === total) return buffers[0] as ArrayBuffer;
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

/**
 * Reads the weights a manifest lists from `files` after {@link checkWeightsManifest}: each group's
 * files must add up to the group's declared size, checked before reading where the size is known
 * (stat, Content-Length) and enforced while reading otherwise; the values must be finite
 * (`INVALID_MODEL`). A listed file that does not exist is `missingCode`. Returns the manifest entries
 * in order and the weight data as one buffer.
 */
export async function readManifestWeights(
  files: ModelFiles,
  manifest: unknown,
  missingCode: 'INVALID_MODEL' | 'IO_ERROR' = 'INVALID_MODEL',
): Promise<{ specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer }> {
  const where = `${files.location} (model.json)`;
  const missing = (p: string) => new RnnkitError(missingCode, `Expected the weights file ${p} listed in ${where}. Received: none`);
  const groups = checkWeightsManifest(manifest, where, files.checkName);
  const total = groups.reduce((n, g) => n + g.bytes, 0);
  // Sizes first, for every file we can size without reading it: nothing is read from a wrong model.
  if (files.size) {
    for (const g of groups) {
      let sum = 0;
      for (const p of g.paths) {
        const size = await files.size(p);
        if (size === null) throw missing(p);
        sum += size;
      }
      if (sum !== g.bytes) throw invalid(`Expected ${g.bytes} bytes of weights in ${describeValue(g.paths)} for ${g.weights.length} weights in ${where}. Received: ${sum} bytes (truncated or corrupt)`);
    }
  }
  const buffers: ArrayBuffer[] = [];
  for (const g of groups) {
    let got = 0;
    for (const p of g.paths) {
      const buf = g.paths.length === 1 ? await files.bytes(p, g.bytes) : await files.bytes(p, undefined, g.bytes - got);
      if (buf === null) throw missing(p);
      got += buf.byteLength;
      buffers.push(buf);
    }
    if (got !== g.bytes) throw invalid(`Expected ${g.bytes} bytes of weights in ${describeValue(g.paths)} in ${where}. Received: ${got} bytes (truncated or corrupt)`);
  }
  const specs = groups.flatMap((g) => g.weights);
  const data = concat(buffers, total);
  checkFiniteWeights(specs, data, where);
  return { specs, data };
}
