// The English -> French Tatoeba split, by English sentence with a seed: no source sentence is in two
// splits. Shared by the training and evaluation scripts so both see exactly the same test set.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRng, shuffle } from '@rnnkit/text';
import { normalizeText } from '../src/index';
import type { Pair } from './common';

export const TATOEBA_FRA = resolve(import.meta.dirname ?? '.', '../../../../shared/data/tatoeba-anki/fra-eng/fra.txt');

export interface TatoebaSplit {
  train: Pair[];
  val: Pair[];
  test: Pair[];
  sources: { train: number; val: number; test: number };
}

export function tatoebaSplit(seed: number, subset?: number, file = TATOEBA_FRA): TatoebaSplit {
  const bySource = new Map<string, string[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [en, fr] = line.split('\t');
    if (!en || !fr) continue;
    const src = normalizeText(en);
    const list = bySource.get(src) ?? [];
    list.push(normalizeText(fr));
    bySource.set(src, list);
  }
  let sources = shuffle([...bySource.keys()].sort(), seed);
  if (subset) sources = sources.slice(0, subset);
  const nTest = Math.min(2000, Math.floor(sources.length * 0.05));
  const nVal = Math.min(1000, Math.floor(sources.length * 0.03));
  const pairsOf = (srcs: string[]): Pair[] => srcs.flatMap((s) => (bySource.get(s) ?? []).map((t) => ({ src: s, tgt: t })));
  return {
    test: pairsOf(sources.slice(0, nTest)), val: pairsOf(sources.slice(nTest, nTest + nVal)), train: pairsOf(sources.slice(nTest + nVal)),
    sources: { test: nTest, val: nVal, train: sources.length - nTest - nVal },
  };
}

/**
 * Pairs run together `size` at a time (sources and targets each joined with a space), in a seeded order so
 * neighbours are unrelated (alternative translations of one source are adjacent in the split); a last
 * incomplete group is dropped. `size` may be a list: each group's size is drawn from it.
 */
export function joinPairs(pairs: readonly Pair[], size: number | readonly number[], seed: number, count = Infinity): Pair[] {
  const rng = createRng(seed);
  const order = shuffle(pairs, rng);
  const sizes = typeof size === 'number' ? [size] : size;
  const out: Pair[] = [];
  for (let i = 0; out.length < count; ) {
    const k = sizes[Math.floor(rng() * sizes.length)] ?? 2;
    if (i + k > order.length) break;
    const group = order.slice(i, i + k);
    out.push({ src: group.map((p) => p.src).join(' '), tgt: group.map((p) => p.tgt).join(' ') });
    i += k;
  }
  return out;
}
