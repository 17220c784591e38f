// A static file server for the built site (node:http, loopback only): the e2e tests load the demo from
// it exactly as a user's static host would serve it, and optionally a cross-origin isolated copy of it.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /**
   * Paths under this prefix (e.g. `/isolated/`) serve the same files with `Cross-Origin-Opener-Policy:
   * same-origin` and `Cross-Origin-Embedder-Policy: require-corp`, which make the page cross-origin
   * isolated (SharedArrayBuffer, the kernels' second thread). The site's base is relative, so every
   * asset, the worker and the models of a page loaded there come with the headers too, from one origin.
   */
  isolatedPrefix?: string;
}

/** The response headers that make a page (and its workers) cross-origin isolated. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** Serves `root` on 127.0.0.1 (a free port); `/` is index.html, anything else outside `root` is 404. */
export async function serveStatic(root: string, options: ServeOptions = {}): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    let pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const prefix = options.isolatedPrefix;
    const isolated = prefix !== undefined && pathname.startsWith(prefix);
    if (isolated) {
      pathname = `/${pathname.slice(prefix.length)}`;
      for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
    }
    const file = normalize(join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': size, 'cache-control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
