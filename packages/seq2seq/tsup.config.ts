import { defineConfig } from 'tsup';
import { rnnkitBuild } from '../../tsup.preset.mjs';

export default defineConfig([
  // import.meta.url (the shipped model's location, src/shipped.ts) becomes __filename's URL in the CJS build
  rnnkitBuild({ entry: ['src/index.ts'], shims: true, dts: true, clean: true }),
  // The CLI as one CommonJS file (decoding and training code initialized on demand inside it) ...
  rnnkitBuild({ entry: { cli: 'src/cli.ts' }, format: ['cjs'], dts: false, shims: true }),
  // ... started by the `bin` (dist/cli.js), an ES module with the shebang.
  rnnkitBuild({ entry: { cli: 'src/bin.ts' }, format: ['esm'], dts: false, sourcemap: false, external: [], banner: { js: '#!/usr/bin/env node' } }),
]);
