// The model shipped in this package's model/ folder. Each file is its own `new URL(literal,
// import.meta.url)`, the pattern Vite and webpack 5 emit as an asset (hashed names) and esbuild leaves
// relative to the bundle; in Node these are file: URLs of the installed package. Keep this list equal
// to model/ (test/shipped.test.ts checks it). Loaded on demand by SentimentClassifier.load().
import { shippedAssets } from '@rnnkit/core';

/** The shipped model's files by name. */
export function shippedModelAssets(): Record<string, URL> {
  return shippedAssets('@rnnkit/sentiment', () => ({
    'model.json': new URL('../model/model.json', import.meta.url),
    'sentiment.json': new URL('../model/sentiment.json', import.meta.url),
    'weights.mxdt79ue-16wp60e6.bin': new URL('../model/weights.mxdt79ue-16wp60e6.bin', import.meta.url),
  }));
}
