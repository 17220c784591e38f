// Where a model shipped inside a package is: its files are named by `new URL('../model/<file>',
// import.meta.url)` in the package (so Vite and webpack emit them as assets and esbuild keeps the
// relative URL), and this turns that map into a folder on disk (Node: file: URLs) or fetched URLs.
import { RnnkitError } from '../errors';
import { nodeModules } from '../platform/node';

/** A shipped model's location: a folder in Node, else the fetched base URL with each file's own URL. */
export type ShippedModel =
  | { kind: 'folder'; dir: string }
  | { kind: 'url'; base: URL; assets: Readonly<Record<string, URL>> };

/**
 * Locates a shipped model from its files' URLs (`main` is the file whose folder is the base, default
 * model.json). file: URLs are a folder on disk (Node); http(s), blob: and data: URLs are fetched.
 */
export async function locateShippedModel(assets: Readonly<Record<string, URL>>, main = 'model.json'): Promise<ShippedModel> {
  const mainUrl = assets[main];
  if (mainUrl === undefined) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected the shipped model's files to include ${main}. Received: ${Object.keys(assets).join(', ') || 'none'}`);
  }
  if (mainUrl.protocol === 'file:') {
    const { url, path } = await nodeModules();
    return { kind: 'folder', dir: path.dirname(url.fileURLToPath(mainUrl)) };
  }
  // Bundlers inline small files as data: URLs (Vite below 4 kB), which cannot be a base: use the folder
  // of another file, else the page. Every file is in `assets`, so the base only names the model in messages.
  const hierarchical = [mainUrl, ...Object.values(assets)].find((u) => u.protocol !== 'data:' && u.protocol !== 'blob:');
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  const base = hierarchical ? new URL('.', hierarchical) : new URL('.', page ?? 'http://localhost/');
  return { kind: 'url', base, assets };
}

/**
 * Builds the file map of a shipped model by calling `resolve` (the package's function of
 * `new URL(..., import.meta.url)` expressions), turning a bundle without `import.meta.url` (an IIFE or
 * CommonJS browser bundle) into a clear UNSUPPORTED error that says how to load the model instead.
 */
export function shippedAssets(packageName: string, resolve: () => Record<string, URL>): Record<string, URL> {
  try {
    return resolve();
  } catch (cause) {
    throw new RnnkitError(
      'UNSUPPORTED',
      `Expected ${packageName} to find its shipped model through import.meta.url (an ES module build). Received: ${(cause as Error)?.message ?? String(cause)}. ` +
        `Serve node_modules/${packageName}/model/ and pass its URL to load(url) instead.`,
      { cause },
    );
  }
}
