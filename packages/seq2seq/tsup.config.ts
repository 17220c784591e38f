import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    // import.meta.url (the shipped model's location, src/shipped.ts) becomes __filename's URL in the CJS build
    shims: true,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    external: [/^@tensorflow\//, /^@rnnkit\//],
  },
  {
    // The CLI: ESM only, with the shebang; decoding and training code loaded on demand.
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    splitting: true,
    target: 'es2022',
    banner: { js: '#!/usr/bin/env node' },
    external: [/^@tensorflow\//, /^@rnnkit\//],
  },
]);
