import { defineConfig } from 'tsup';

const external = [/^@tensorflow\//, /^@rnnkit\//];

export default defineConfig([
  {
    entry: ['src/index.ts'],
    // import.meta.url (the shipped model's location, src/shipped.ts) becomes __filename's URL in the CJS build
    shims: true,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    external,
  },
  {
    // The CLI as one CommonJS file (commands are initialized lazily inside it) ...
    entry: { cli: 'src/cli.ts' },
    format: ['cjs'],
    dts: false,
    sourcemap: true,
    clean: false,
    shims: true,
    target: 'es2022',
    external,
  },
  {
    // ... started by the `bin` (dist/cli.js), an ES module with the shebang.
    entry: { cli: 'src/bin.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: false,
    clean: false,
    target: 'es2022',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
