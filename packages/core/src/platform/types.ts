// The Node.js modules rnnkit's file helpers use (file-system model folders, vocabularies, line readers).
// Reached only through `nodeModules()`, so the browser build of @rnnkit/core (and every package that
// imports it) has no `node:` import at all: see ./node.ts and ./browser.ts.

/** Node's built-in modules as rnnkit uses them. */
export interface NodeModules {
  fs: typeof import('node:fs');
  fsp: typeof import('node:fs/promises');
  path: typeof import('node:path');
  readline: typeof import('node:readline');
  url: typeof import('node:url');
}
