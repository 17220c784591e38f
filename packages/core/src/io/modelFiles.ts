// Where the files of a saved model come from: a folder (Node, `node:fs` imported only when used) or a
// base URL read with `fetch` (browsers, workers, Node). Both answer "no such file" with null and every
// other failure with an IO_ERROR, so a package's loader has one code path and one set of checks for
// both (used by @rnnkit/seq2seq and @rnnkit/sentiment).
import { RnnkitError } from '../errors';

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
}

/** The files of one saved model. */
export interface ModelFiles {
  /** The folder or base URL, for messages. */
  readonly location: string;
  /** UTF-8 text of a file, or null when it does not exist. */
  text(name: string): Promise<string | null>;
  /** Bytes of a file, or null when it does not exist. `expectedBytes` (the weights' size from the manifest) starts the progress reports. */
  bytes(name: string, expectedBytes?: number): Promise<ArrayBuffer | null>;
  /** Marks the end of loading (progress 1). */
  done(): void;
}

const SCHEME = /^[a-z][\w+.-]*:/i;

function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node != null;
}

/** True when `source` names a URL: http(s), or (outside Node) anything without a scheme, relative to the page. */
export function isModelUrl(source: string): boolean {
  return /^https?:\/\//i.test(source) || (!isNode() && !SCHEME.test(source));
}

/** A folder on disk (Node). */
export function folderModelFiles(dir: string): ModelFiles {
  const load = async () => {
    try {
      return await Promise.all([
        import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises'),
        import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path'),
      ]);
    } catch (cause) {
      throw new RnnkitError('IO_ERROR', `Expected a Node.js runtime to read the folder ${dir}. Received: node:fs is unavailable (use a URL in the browser).`, { cause });
    }
  };
  const read = async <T>(name: string, how: (fs: typeof import('node:fs/promises'), file: string) => Promise<T>): Promise<T | null> => {
    const [fs, path] = await load();
    const file = path.join(dir, name);
    try {
      return await how(fs, file);
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new RnnkitError('IO_ERROR', `Expected to read ${file}. Received: ${(cause as Error).message}`, { cause });
    }
  };
  return {
    location: dir,
    text: (name) => read(name, (fs, file) => fs.readFile(file, 'utf8')),
    bytes: (name) => read(name, async (fs, file) => {
      const b = await fs.readFile(file);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    }),
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

/** Files under a base URL, fetched; 404 and 410 mean "no such file". Progress counts body bytes. */
export function urlModelFiles(base: string, options: FetchModelOptions = {}): ModelFiles {
  const root = modelBaseUrl(base);
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

  const get = async (name: string, expectedBytes?: number): Promise<ArrayBuffer | null> => {
    const url = new URL(name, root).href;
    const entry = { got: 0, want: expectedBytes ?? 0 };
    files.set(name, entry);
    if (expectedBytes !== undefined) sized = true;
    let res: Response;
    try {
      res = await doFetch(url, options.requestInit);
    } catch (cause) {
      throw new RnnkitError('IO_ERROR', `Expected to fetch ${url}. Received: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
    if (res.status === 404 || res.status === 410) return null;
    if (!res.ok) throw new RnnkitError('IO_ERROR', `Expected to fetch ${url}. Received: HTTP ${res.status} ${res.statusText}`.trimEnd());
    const length = Number(res.headers.get('content-length'));
    // Content-Length counts encoded bytes: trust it only for uncompressed bodies
    if (Number.isFinite(length) && length > 0 && !res.headers.get('content-encoding')) entry.want = length;
    try {
      if (!res.body || typeof res.body.getReader !== 'function') {
        const buf = await res.arrayBuffer();
        entry.got = buf.byteLength;
        report();
        return buf;
      }
      const reader = res.body.getReader();
      const chunks: Uint8Array[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        entry.got += value.byteLength;
        report();
      }
      const out = new Uint8Array(entry.got);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.byteLength;
      }
      return out.buffer;
    } catch (cause) {
      throw new RnnkitError('IO_ERROR', `Expected to read the body of ${url}. Received: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
  };

  return {
    location: root.href,
    text: async (name) => {
      const b = await get(name);
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
