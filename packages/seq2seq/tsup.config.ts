import { defineConfig } from 'tsup';
import { rnnkitBuild } from '../../tsup.preset.mjs';

export default defineConfig([
  // import.meta.url (the shipped model's location, src/shipped.ts) becomes __filename's URL in the CJS build
  rnnkitBuild({ entry: ['src/index.ts'], shims: true, dts: true, clean: true }),
  // The CLI: ESM only, with the shebang; decoding and training code loaded on demand.
  rnnkitBuild({ entry: { cli: 'src/cli.ts' }, format: ['esm'], dts: false, splitting: true, banner: { js: '#!/usr/bin/env node' } }),
]);
