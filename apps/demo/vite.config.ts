// Vite config of the demo: a static site (relative base, so it works from any folder), an ES-module
// inference worker, the shipped models copied in, and a CSP that keeps every request on this origin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { contentSecurityPolicy, shippedModels } from './vite.plugins.ts';

/** Node built-ins that the rnnkit packages import only inside Node-only functions (reading folders, files). */
const NODE_ONLY = [/^node:/, 'fs', 'fs/promises', 'path', 'readline'];

export default defineConfig({
  base: './',
  plugins: [shippedModels(), contentSecurityPolicy()],
  resolve: {
    // natural's tokenizers call util.inherits at load time: the one Node module the browser needs a stand-in for
    alias: [{ find: /^util$/, replacement: fileURLToPath(new URL('./src/shims/util.ts', import.meta.url)) }],
  },
  worker: {
    format: 'es',
    rolldownOptions: { external: NODE_ONLY },
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // the worker bundle holds tfjs, its backends and both model packages: large by nature
    chunkSizeWarningLimit: 4000,
    rolldownOptions: { external: NODE_ONLY },
  },
});
