// Vite config of the demo: a static site (relative base, so it works from any folder), an ES-module
// inference worker, the shipped models copied in, and a CSP that keeps every request on this origin.
import { defineConfig } from 'vite';
import { contentSecurityPolicy, shippedModels } from './vite.plugins.ts';

export default defineConfig({
  base: './',
  plugins: [shippedModels(), contentSecurityPolicy()],
  // no externals, aliases or shims: the rnnkit packages' browser builds import no Node built-ins
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // the worker bundle holds tfjs, its backends and both model packages: large by nature
    chunkSizeWarningLimit: 4000,
  },
});
