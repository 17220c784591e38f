import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Options } from 'tsup';
import { rnnkitBuild } from '../../tsup.preset.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

const common: Options = rnnkitBuild({
  splitting: false,
  // clean stays false: package.json's build script empties dist/ once for both builds
  define: { __RNNKIT_VERSION__: JSON.stringify(version) },
});

// The browser build swaps src/platform/node.ts (Node built-ins) for src/platform/browser.ts, so nothing
// in dist/index.browser.* imports a `node:` module; package.json's exports map picks the build by condition.
const browserPlatform = {
  name: 'rnnkit-browser-platform',
  setup(build: { onResolve: (o: { filter: RegExp }, cb: (args: { path: string; resolveDir: string }) => { path: string }) => void }) {
    build.onResolve({ filter: /[\\/]platform[\\/]node$/ }, (args) => ({
      path: path.resolve(args.resolveDir, `${args.path.replace(/node$/, 'browser')}.ts`),
    }));
  },
};

export default defineConfig([
  // convert: the rnnkit-convert CLI (Node only, package.json "bin" -> dist/convert.cjs); the main entry never imports it.
  { ...common, entry: { index: 'src/index.ts', convert: 'src/cli/convert.ts' }, dts: { entry: { index: 'src/index.ts' } } },
  { ...common, entry: { 'index.browser': 'src/index.ts' }, dts: false, esbuildPlugins: [browserPlatform] },
  // @rnnkit/core/cli (Node only, the `node` condition of the "./cli" export): the contract shared by the
  // packages' CLIs. It imports @rnnkit/core by name, so a CLI sees one RnnkitError class.
  { ...common, entry: { 'cli/index': 'src/cli/index.ts' }, dts: true, external: [...(common.external ?? []), 'cli-progress'] },
]);
