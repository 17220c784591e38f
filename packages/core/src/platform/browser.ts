// Browser build of the platform module (replaces ./node.ts in dist/index.browser.*): no Node built-ins,
// so bundlers (esbuild, Vite, webpack) need no externals, aliases or shims for rnnkit.
import { RnnkitError } from '../errors';
import type { NodeModules } from './types';

/** Node's built-in modules: unavailable in the browser build, UNSUPPORTED. */
export async function nodeModules(): Promise<NodeModules> {
  throw new RnnkitError(
    'UNSUPPORTED',
    'Expected Node.js for file paths. Received: the browser build of @rnnkit/core (load models from a URL, e.g. SentimentClassifier.load(url); save with a tfjs IOHandler)',
  );
}
