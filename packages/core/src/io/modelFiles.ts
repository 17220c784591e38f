// Where the files of a saved model come from: a folder (Node, `node:fs` imported only when used) or a
// base URL read with `fetch` (browsers, workers, Node). Both answer "no such file" with null and every
// other failure with an IO_ERROR, so a package's loader has one code path and one set of checks for
// both (used by @rnnkit/seq2seq and @rnnkit/sentiment). Both refuse names that leave the model
// (UNSAFE_PATH: `..`, absolute paths, symlinks out of the folder, other origins) and files whose size
// differs from what the caller expects, before reading them (INVALID_MODEL).
import { RnnkitError } from '../errors';
import { MAX_JSON_BYTES } from './limits';
import { checkRelativePath } from './manifest';
import { nodeModules } from '../platform/node';

/** Options of the URL loaders (e.g. `Translator.fromUrl`, `SentimentClassifier.fromUrl`). */
export interface FetchModelOptions {
  /** The `fetch` to use. Default: the global one. */
  fetch?: typeof fetch;
  /** Request options (headers, credentials, an abort signal). */
  requestInit?: RequestInit;
  /**
   * Called with the fraction of bytes received so far (0..1), rising, ending with 1. It starts once the
   * loader knows the size of the weights (the bulk of a model), so a small first file (model.json)
   * does not read as 100%.
   */
  onProgress?: (fraction: number) => void;
  /**
   * Let the model's files name URLs on other origins than its model.json (weights on a CDN). Default
   * false: a weight path resolving to another origin (or redirected there) is refused with `UNSAFE_PATH`,
   * so a downloaded model.json cannot make the loader fetch other sites with the caller's request options.
   */
  allowCrossOrigin?: boolean;
}

import type { ModelFiles } from './modelFilesTypes';
export type { ModelFiles };

const SCHEME = /^[a-z][\w+.-]*:/i;

function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node != null;
}

/** True when `source` names a URL: http(s), or (outside Node) anything without a scheme, relative to the page. */
export function isModelUrl(source: string): boolean {
  return /^https?:\/\//i.test(source) || (!isNode() && !SCHEME.test(source));
}

/** INVALID_MODEL for a file whose size is not the one expected / allowed; null when it fits. */
function sizeProblem(file: string, size: number, expectedBytes?: number, maxBytes?: number): RnnkitError | null {
  if (expectedBytes !== undefined && size !== expectedBytes) {
    return new RnnkitError('INVALID_MODEL', `Expected ${file} to hold ${expectedBytes} bytes (the size its manifest declares). Received: ${size} bytes (truncated or corrupt)`);
  }
  if (maxBytes !== undefined && size > maxBytes) {
    return new RnnkitError('INVALID_MODEL', `Expected ${file} to hold at most ${maxBytes} bytes. Received: ${size} bytes`);
  }
  return null;
}

/** A folder on disk (Node). Names are checked, resolved through symlinks and must stay inside the folder. */
export function folderModelFiles(dir: string): ModelFiles {
  const load = async () => {
    try {
      const { fsp, path } = await nodeModules();
      return [fsp, path] as const;
    } catch (cause) {
      throw new RnnkitError('IO_ERROR', `Expected a Node.js runtime to read the folder ${dir}. Received: node:fs is unavailable (use a URL in the browser).`, { cause });
    }
  };
  type Handle = Awaited<ReturnType<typeof import('node:fs/promises').open>>;
  // Opens `name` after checking it stays inside the folder once symlinks are resolved; null when absent.
  const open = async <T>(name: string, how: (handle: Handle, size: number, file: string) => Promise<T>): Promise<T | null> => {
    checkRelativePath(name, dir);
    const [fs, path] = await load();
    const file = path.join(dir, name);
    let handle: Handle;
    let size: number;
    try {
      const [realDir, realFile] = await Promise.all([fs.realpath(dir), fs.realpath(file)]);
      const rel = path.relative(realDir, realFile);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
        throw new RnnkitError('UNSAFE_PATH', `Expected ${JSON.stringify(name)} to be a file inside the model folder ${dir}. Received: a link to ${realFile}`);
      }
      handle = await fs.open(realFile, 'r');
    } catch (cause) {
      if (cause instanceof RnnkitError) throw cause;
      const code = (cause as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new RnnkitError('IO_ERROR', `Expected to read ${file}. Received: ${(cause as Error).message}`, { cause });
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new RnnkitError('IO_ERROR', `Expected ${file} to be a file. Received: a folder or special file`);
      size = stat.size;
      return await how(handle, size, file);
    } catch (cause) {
      if (cause instanceof RnnkitError) throw cause;
      throw new RnnkitError('IO_ERROR', `Expected to read ${file}. Received: ${(cause as Error).message}`, { cause });
    } finally {
      await handle.close();
    }
  };
  const read = async (handle: Handle, size: number): Promise<Uint8Array> => {
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(out, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    if (at !== size) throw new RnnkitError('IO_ERROR', `Expected ${size} bytes. Received: ${at} (the file changed while being read)`);
    return out;
  };
  return {
    location: dir,
    checkName: checkRelativePath,
    text: (name, maxBytes = MAX_JSON_BYTES) => open(name, async (handle, size, file) => {
      const problem = sizeProblem(file, size, undefined, maxBytes);
      if (problem) throw problem;
      return new TextDecoder('utf-8').decode(await read(handle, size));
    }),
    bytes: (name, expectedBytes, maxBytes) => open(name, async (handle, size, file) => {
      const problem = sizeProblem(file, size, expectedBytes, maxBytes);
      if (problem) throw problem;
      return (await read(handle, size)).buffer as ArrayBuffer;
    }),
    size: (name) => open(name, async (_handle, size) => size),
    done: () => undefined,
  };
}

/** The folder URL of `base` (a folder with or without a trailing slash, or its model.json), absolute. */
export function modelBaseUrl(base: string): URL {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = page ? new URL(base, page) : new URL(base);
  } catch (cause) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected an absolute URL, or a relative one in a page or worker. Received: ${JSON.stringify(base)}`, { cause });
  }
  if (/\.json$/i.test(url.pathname)) url = new URL('.', url);
  else if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

/** The query string (with its `?`) of a model URL, '' when it has none or is not absolute. */
function baseQuery(base: string | URL): string {
  try {
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    return (page ? new URL(String(base), page) : new URL(String(base))).search;
  } catch {
    return '';
  }
}

/**
 * Files under a base URL, fetched; 404 and 410 mean "no such file". Progress counts body bytes.
 * `assets` maps file names to their own URLs (a bundler's emitted assets, whose names carry hashes);
 * other names resolve against `base`.
 */
export function urlModelFiles(base: string | URL, options: FetchModelOptions = {}, assets: Readonly<Record<string, string | URL>> = {}): ModelFiles {
  const root = modelBaseUrl(String(base));
  // The query of the URL the caller gave (an access token, a cache buster) goes with every file fetched
  // beside model.json, as tf.io.http does: a signed or token-guarded model stays loadable.
  const query = baseQuery(base);
  const doFetch = options.fetch ?? (globalThis.fetch as typeof fetch | undefined);
  if (typeof doFetch !== 'function') throw new RnnkitError('UNSUPPORTED', 'Expected a fetch function (global or options.fetch). Received: none');
  // bytes received and expected per file (expected: Content-Length, else the caller's estimate, else received)
  const files = new Map<string, { got: number; want: number }>();
  let reported = 0;
  let sized = false; // a file of known size (the weights) was requested: the total is roughly known
  const report = () => {
    if (!options.onProgress || !sized) return;
    let got = 0;
    let want = 0;
    for (const f of files.values()) {
      got += f.got;
      want += Math.max(f.want, f.got);
    }
    const fraction = want > 0 ? Math.min(got / want, 0.999) : 0;
    if (fraction > reported) {
      reported = fraction;
      options.onProgress(fraction);
    }
  };

  // Other origins only when the caller opted in: model.json must not steer requests (with their
  // credentials and headers) to other sites.
  const checkName = (name: unknown, where: string): string => {
    if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) return checkRelativePath(name, where);
    let url: URL;
    try {
      url = new URL(name, root);
    } catch (cause) {
      throw new RnnkitError('UNSAFE_PATH', `Expected file URLs in ${where} relative to ${root.href}. Received: ${JSON.stringify(name).slice(0, 200)}`, { cause });
    }
    if (url.origin !== root.origin && !options.allowCrossOrigin) {
      throw new RnnkitError('UNSAFE_PATH', `Expected file URLs in ${where} on the origin of the model (${root.origin}). Received: ${JSON.stringify(name).slice(0, 200)} -> ${url.origin} (pass allowCrossOrigin: true to allow)`);
    }
    return name;
  };
  const tooBig = (url: string, got: number, limit: number, exact: boolean) =>
    new RnnkitError('INVALID_MODEL', `Expected ${url} to hold ${exact ? '' : 'at most '}${limit} bytes${exact ? ' (the size its manifest declares)' : ''}. Received: more (${got} so far)`);

  const get = async (name: string, expectedBytes?: number, maxBytes?: number): Promise<ArrayBuffer | null> => {
    checkName(name, root.href);
    // a file the caller mapped to its own URL (a bundler's emitted asset) is fetched from there
    const asset = Object.prototype.hasOwnProperty.call(assets, name) ? assets[name] : undefined;
    const resolved = new URL(asset === undefined ? name : String(asset), root);
    if (asset === undefined && query && !resolved.search) resolved.search = query;
    const url = resolved.href;
    const entry = { got: 0, want: expectedBytes ?? 0 };
    const limit = expectedBytes ?? maxBytes;
    files.set(name, entry);
    if (expectedBytes !== undefined) sized = true;
    let res: Response;
    try {
      res = await doFetch(url, options.requestInit);
    } catch (cause) {
      throw new RnnkitError('IO_ERROR', `Expected to fetch ${url}. Received: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
    const discard = () => void res.body?.cancel().catch(() => undefined);
    if (res.redirected && res.url && !options.allowCrossOrigin && new URL(res.url).origin !== root.origin) {
      discard();
      throw new RnnkitError('UNSAFE_PATH', `Expected ${url} to stay on the origin of the model (${root.origin}). Received: a redirect to ${new URL(res.url).origin} (pass allowCrossOrigin: true to allow)`);
    }
    if (res.status === 404 || res.status === 410) {
      discard();
      return null;
    }
    if (!res.ok) {
      discard();
      throw new RnnkitError('IO_ERROR', `Expected to fetch ${url}. Received: HTTP ${res.status} ${res.statusText}`.trimEnd());
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    // Content-Length counts encoded bytes: trust it only for uncompressed bodies
    if (Number.isFinite(length) && length >= 0 && !res.headers.get('content-encoding')) {
      const problem = sizeProblem(url, length, expectedBytes, maxBytes);
      if (problem) {
        discard();
        throw problem;
      }
      if (length > 0) entry.want = length;
    }
    let out: Uint8Array;
    try {
      if (!res.body || typeof res.body.getReader !== 'function') {
        out = new Uint8Array(await res.arrayBuffer());
        entry.got = out.byteLength;
        if (limit !== undefined && entry.got > limit) throw tooBig(url, entry.got, limit, expectedBytes !== undefined);
        report();
      } else {
        const reader = res.body.getReader();
        const chunks: Uint8Array[] = [];
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          entry.got += value.byteLength;
          if (limit !== undefined && entry.got > limit) {
            void reader.cancel().catch(() => undefined);
            throw tooBig(url, entry.got, limit, expectedBytes !== undefined);
          }
          report();
        }
        out = new Uint8Array(entry.got);
        let at = 0;
        for (const c of chunks) {
          out.set(c, at);
          at += c.byteLength;
        }
      }
    } catch (cause) {
      if (cause instanceof RnnkitError) throw cause;
      throw new RnnkitError('IO_ERROR', `Expected to read the body of ${url}. Received: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
    const problem = sizeProblem(url, out.byteLength, expectedBytes, maxBytes);
    if (problem) throw problem;
    return out.buffer as ArrayBuffer;
  };

  return {
    location: root.href,
    checkName,
    text: async (name, maxBytes = MAX_JSON_BYTES) => {
      const b = await get(name, undefined, maxBytes);
      return b === null ? null : new TextDecoder('utf-8').decode(b);
    },
    bytes: get,
    done: () => {
      if (reported < 1) {
        reported = 1;
        options.onProgress?.(1);
      }
    },
  };
}
