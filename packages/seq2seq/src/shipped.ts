// The English->French model shipped in this package's model/ folder. Each file is its own
// `new URL(literal, import.meta.url)`, the pattern Vite and webpack 5 emit as an asset (hashed names)
// and esbuild leaves relative to the bundle; in Node these are file: URLs of the installed package.
// Keep this list equal to model/ (test/shipped.test.ts checks it). Loaded on demand by Translator.load().
import { shippedAssets } from '@rnnkit/core';

/** The shipped model's files by name. */
export function shippedModelAssets(): Record<string, URL> {
  return shippedAssets('@rnnkit/seq2seq', () => ({
    'model.json': new URL('../model/model.json', import.meta.url),
    'weights.bin': new URL('../model/weights.bin', import.meta.url),
    'src_vocab.json': new URL('../model/src_vocab.json', import.meta.url),
    'tgt_vocab.json': new URL('../model/tgt_vocab.json', import.meta.url),
    'src_bpe.json': new URL('../model/src_bpe.json', import.meta.url),
    'tgt_bpe.json': new URL('../model/tgt_bpe.json', import.meta.url),
  }));
}
