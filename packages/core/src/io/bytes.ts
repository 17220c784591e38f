// Bytes from wherever a caller has them: a Uint8Array / ArrayBuffer, a Blob or File (browser), a
// Node path or a URL. Shared by the Keras-file and safetensors readers.
import { RnnkitError } from '../errors';
import { nodeModules } from './fileSystem';

/** Bytes of a file held in memory. */
export type ModelBytes = Uint8Array | ArrayBuffer | Blob;

/** How URLs are fetched. */
export interface FetchOptions {
  /** `fetch` to use for URLs (default: the global one). */
  fetchFunc?: typeof fetch;
  /** Request options for URLs (headers, credentials). */
  requestInit?: RequestInit;
}

export function isModelBytes(source: unknown): source is ModelBytes {
  return source instanceof Uint8Array || source instanceof ArrayBuffer || (typeof Blob !== 'undefined' && source instanceof Blob);
}

export async function toUint8(source: ModelBytes): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return new Uint8Array(await source.arrayBuffer());
}

const SCHEME = /^[a-z][\w+.-]*:\/\//i;

export function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node != null;
}

/** True for strings that are fetched (http(s) URLs; in browsers also relative paths). */
export function isFetchedUrl(source: string): boolean {
  return /^https?:\/\//i.test(source) || (!isNode() && !SCHEME.test(source));
}

/** True for strings that are Node file paths (`file://` or no scheme, in Node). */
export function isNodePath(source: string): boolean {
  return isNode() && (/^file:\/\//i.test(source) || !SCHEME.test(source));
}

/** Fetches `url` into bytes; `IO_ERROR` on network errors and non-2xx answers. */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<Uint8Array> {
  const fetchFunc = options.fetchFunc ?? globalThis.fetch;
  try {
    const response = await fetchFunc(url, options.requestInit);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Expected to fetch "${url}". Received: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** Reads a whole Node file; `IO_ERROR` when it cannot be read. */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const { fs } = await nodeModules();
  const file = path.replace(/^file:\/\//i, '');
  try {
    return new Uint8Array(await fs.readFile(file));
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Expected a readable file at "${file}". Received: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** Bytes from memory, a Blob, a Node path or a URL. `INVALID_ARGUMENT` for anything else. */
export async function readBytes(source: ModelBytes | string, options: FetchOptions = {}, what = 'file'): Promise<Uint8Array> {
  if (isModelBytes(source)) return toUint8(source);
  if (typeof source === 'string') {
    if (isFetchedUrl(source)) return fetchBytes(source, options);
    if (isNodePath(source)) return readFileBytes(source);
  }
  throw new RnnkitError('INVALID_ARGUMENT', `Expected the ${what} as a Uint8Array, an ArrayBuffer, a Blob, a Node path or an http(s) URL. Received: ${typeof source === 'string' ? JSON.stringify(source) : typeof source}`);
}
