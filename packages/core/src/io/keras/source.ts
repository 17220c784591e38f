// Where a Keras file comes from: bytes, a Blob / File (browser), a Node path or a URL. Only sources
// that are Keras files are read here; model.json sources are left to the tfjs-format loader.
import type * as tf from '@tensorflow/tfjs';
import { RnnkitError } from '../../errors';
import { nodeModules } from '../fileSystem';
import { type FetchOptions, fetchBytes, isFetchedUrl, isModelBytes, isNodePath, toUint8 } from '../bytes';
import { readKerasArchive } from './kerasArchive';
import { readLegacyH5 } from './legacyH5';
import { detectModelFormat } from './sniff';

/**
 * Reads the bytes of a Keras 3 `.keras` zip or a legacy `.h5` full model (Keras 2.x, tf.keras,
 * Keras 3) into model artifacts, telling the two apart by their first bytes. Throws `INVALID_MODEL`
 * for other bytes.
 */
export function readKerasModel(bytes: Uint8Array, label = 'the model file'): tf.io.ModelArtifacts {
  const format = detectModelFormat(bytes);
  if (format === 'keras-zip') return readKerasArchive(bytes, label);
  if (format === 'hdf5') return readLegacyH5(bytes, label);
  throw new RnnkitError(
    'INVALID_MODEL',
    `Expected ${label} to be a Keras .keras (zip) or .h5 (HDF5) file. Received ${format === 'json' ? 'JSON (a model.json? pass its path or URL instead)' : `bytes starting ${hex(bytes)}`}.`,
  );
}

function hex(bytes: Uint8Array): string {
  return [...bytes.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ') || '(empty)';
}

/** The first bytes and the whole file of a Node path, or null for folders and missing files (left to the model.json loader). */
async function readKerasPath(target: string): Promise<tf.io.ModelArtifacts | null> {
  const { fs } = await nodeModules();
  const file = target.replace(/^file:\/\//i, '');
  let handle: Awaited<ReturnType<typeof fs.open>>;
  try {
    if (!(await fs.stat(file)).isFile()) return null;
    handle = await fs.open(file, 'r');
  } catch {
    return null; // the model.json loader reports missing paths with its own message
  }
  try {
    const head = new Uint8Array(8);
    await handle.read(head, 0, 8, 0);
    const format = detectModelFormat(head);
    if (format !== 'keras-zip' && format !== 'hdf5') return null;
    const bytes = new Uint8Array(await handle.readFile());
    return readKerasModel(bytes, `"${file}"`);
  } catch (cause) {
    if (cause instanceof RnnkitError) throw cause;
    throw new RnnkitError('IO_ERROR', `Expected to read the model file "${file}". Received an error while reading.`, { cause });
  } finally {
    await handle.close();
  }
}

/** A URL that does not name a .json file: fetched once, read if it is a Keras file. */
async function readKerasUrl(url: string, options: FetchOptions): Promise<tf.io.ModelArtifacts | null> {
  if (/\.json([?#].*)?$/i.test(url)) return null;
  const bytes = await fetchBytes(url, options);
  const format = detectModelFormat(bytes);
  // A model.json under another name: the tfjs loader fetches it (and its weights) again.
  if (format === 'json') return null;
  return readKerasModel(bytes, `"${url}"`);
}

/**
 * The artifacts of `source` if it is a Keras file: bytes or a Blob (always read as Keras), a Node
 * path whose first bytes are zip or HDF5, or a URL not ending in `.json`. Null for everything the
 * model.json loader handles (folders, `.json` paths and URLs, artifacts, IOHandlers).
 */
export async function kerasArtifactsFromSource(source: unknown, options: FetchOptions = {}): Promise<tf.io.ModelArtifacts | null> {
  if (isModelBytes(source)) return readKerasModel(await toUint8(source), source instanceof Uint8Array || source instanceof ArrayBuffer ? 'the given bytes' : 'the given file');
  if (typeof source !== 'string') return null;
  if (isFetchedUrl(source)) return readKerasUrl(source, options);
  return isNodePath(source) ? readKerasPath(source) : null;
}
