import { defineConfig } from 'tsup';
import { rnnkitBuild } from '../../tsup.preset.mjs';

export default defineConfig(rnnkitBuild({ entry: ['src/index.ts', 'src/natural.ts'], dts: true, clean: true }));
