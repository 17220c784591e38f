// The one tsup config factory of the workspace: every package's tsup.config.ts builds its entries with
// `rnnkitBuild({...})`, which holds the shared settings (ES2022 ESM + CJS with source maps, tfjs and the
// rnnkit packages left external so an app has one copy of each); each entry adds only what differs.

/** Packages every build leaves to the app's install: tfjs (a peer dependency) and the rnnkit packages. */
export const RNNKIT_EXTERNAL = [/^@tensorflow\//, /^@rnnkit\//];

/** One tsup build: the shared settings overridden by `options`. */
export function rnnkitBuild(options) {
  return { format: ['esm', 'cjs'], sourcemap: true, clean: false, target: 'es2022', external: RNNKIT_EXTERNAL, ...options };
}
