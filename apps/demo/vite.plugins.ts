// Vite plugins of the demo: the shipped models served in dev and copied into the built site (never
// into the source tree), and a Content-Security-Policy that keeps every request on the site's origin.
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);

/** A package's model folder and the site path it is served under. */
export interface ShippedModel {
  /** npm name of the package that ships the model. */
  pkg: string;
  /** Folder inside the package. */
  folder: string;
  /** Path on the site, without slashes at the ends. */
  route: string;
}

export const SHIPPED_MODELS: readonly ShippedModel[] = [
  { pkg: '@rnnkit/seq2seq', folder: 'model', route: 'models/en-fr' },
  { pkg: '@rnnkit/sentiment', folder: 'model', route: 'models/sentiment' },
];

/** The model folder of a package, found through its npm name (works from the workspace and from npm installs). */
export function modelFolder(m: ShippedModel): string {
  return join(dirname(require.resolve(`${m.pkg}/package.json`)), m.folder);
}

const TYPES: Record<string, string> = { '.json': 'application/json', '.bin': 'application/octet-stream' };

function contentType(file: string): string {
  return TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
}

/** Serves `/<route>/<file>` from the packages in dev; emits every model file into the build output. */
export function shippedModels(models: readonly ShippedModel[] = SHIPPED_MODELS): Plugin {
  return {
    name: 'rnnkit-shipped-models',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        for (const m of models) {
          const prefix = `${server.config.base.replace(/\/?$/, '/')}${m.route}/`.replace(/^\.\//, '/');
          if (!path.startsWith(prefix)) continue;
          const name = path.slice(prefix.length);
          const dir = modelFolder(m);
          if (!/^[\w.-]+$/.test(name) || !readdirSync(dir).includes(name)) {
            res.statusCode = 404;
            res.end('Not found');
            return;
          }
          const file = join(dir, name);
          res.setHeader('Content-Type', contentType(file));
          res.setHeader('Content-Length', String(statSync(file).size));
          createReadStream(file).pipe(res);
          return;
        }
        next();
      });
    },
    generateBundle() {
      for (const m of models) {
        const dir = modelFolder(m);
        for (const name of readdirSync(dir).sort()) {
          if (!statSync(join(dir, name)).isFile()) continue;
          this.emitFile({ type: 'asset', fileName: `${m.route}/${name}`, source: readFileSync(join(dir, name)) });
        }
      }
    },
  };
}

/**
 * The built page's Content-Security-Policy: scripts, workers, styles and every fetch only from this
 * origin; `wasm-unsafe-eval` lets TensorFlow.js and @rnnkit/core compile their WebAssembly. (Build
 * only: the dev server injects inline scripts and a websocket of its own.)
 */
export function contentSecurityPolicy(): Plugin {
  const policy = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "connect-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
  return {
    name: 'rnnkit-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
  };
}
