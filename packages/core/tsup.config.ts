import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // convert: the rnnkit-convert CLI (Node only, package.json "bin" -> dist/convert.cjs); the main entry never imports it.
  entry: { index: 'src/index.ts', convert: 'src/cli/convert.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  splitting: false,
  clean: true,
  target: 'es2022',
  external: [/^@tensorflow\//, /^@rnnkit\//],
  define: { __RNNKIT_VERSION__: JSON.stringify(version) },
});
