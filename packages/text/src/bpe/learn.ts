// Learning byte-pair-encoding merges with the incremental pair-count algorithm: a pair → positions
// index and a max-heap of pair counts, so each merge touches only the words that contain the pair.
import { RnnkitError } from '@rnnkit/core';
import { PairHeap } from './heap';

/** The end-of-word marker appended to the last symbol of each word (as in subword-nmt). */
export const END_OF_WORD = '</w>';

/** Options of {@link learnBpeMerges}. */
export interface BpeLearnOptions {
  /** Stop after this many merges. */
  numMerges?: number;
  /** Stop when the subword vocabulary (initial symbols + merges) reaches this size. */
  vocabSize?: number;
  /** Only merge pairs seen at least this many times. Default 2. */
  minFrequency?: number;
  /** Called every 1,000 merges. */
  onProgress?: (mergesDone: number) => void;
}

/** What learning produced: the initial symbols (sorted) and the merges in order. */
export interface LearnedBpe {
  alphabet: string[];
  merges: Array<[string, string]>;
}

const SHIFT = 4194304; // 2^22: symbol ids stay below this, so a*SHIFT+b is an exact integer key

function pairKey(a: number, b: number): number {
  return a * SHIFT + b;
}

/** Counts whitespace-separated words in sentences. */
export function countWords(sentences: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sentences) {
    for (const w of s.split(/\s+/)) {
      if (w.length > 0) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return counts;
}

/** Splits a word into code points and appends the end-of-word marker to the last one. */
export function initialSymbols(word: string): string[] {
  const chars = Array.from(word);
  if (chars.length > 0) chars[chars.length - 1] += END_OF_WORD;
  return chars;
}

/** Learns merges from word counts. Deterministic: ties go to the pair of lower symbol ids. */
export function learnBpeMerges(wordCounts: ReadonlyMap<string, number>, options: BpeLearnOptions): LearnedBpe {
  const minFrequency = options.minFrequency ?? 2;
  if (!Number.isInteger(minFrequency) || minFrequency < 1) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected minFrequency to be a positive integer. Received: minFrequency=${String(options.minFrequency)}`);
  }
  if (options.numMerges === undefined && options.vocabSize === undefined) {
    throw new RnnkitError('INVALID_ARGUMENT', 'Expected numMerges or vocabSize. Received: neither');
  }
  for (const k of ['numMerges', 'vocabSize'] as const) {
    const v = options[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      throw new RnnkitError('INVALID_ARGUMENT', `Expected ${k} to be a non-negative integer. Received: ${k}=${String(v)}`);
    }
  }

  // Symbols: the alphabet sorted by code units, so ids (and tie-breaking) do not depend on corpus order.
  const words: Array<[string[], number]> = [];
  const alphabetSet = new Set<string>();
  let total = 0;
  for (const [w, c] of wordCounts) {
    if (w.length === 0 || c <= 0) continue;
    const syms = initialSymbols(w);
    for (const s of syms) alphabetSet.add(s);
    words.push([syms, c]);
    total += syms.length;
  }
  const alphabet = [...alphabetSet].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const symbols: string[] = [...alphabet];
  const idOf = new Map<string, number>(alphabet.map((s, i) => [s, i]));
  let maxMerges = options.numMerges ?? Number.MAX_SAFE_INTEGER;
  if (options.vocabSize !== undefined) maxMerges = Math.min(maxMerges, Math.max(0, options.vocabSize - alphabet.length));
  if (alphabet.length + Math.min(maxMerges, total) >= SHIFT) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected fewer than ${SHIFT} symbols. Received: ${alphabet.length} initial symbols and up to ${maxMerges} merges`);
  }

  // All words laid out in one array with a doubly linked list per word; -1 marks a merged-away slot.
  const sym = new Int32Array(total);
  const next = new Int32Array(total);
  const prev = new Int32Array(total);
  const freq = new Float64Array(total);
  let at = 0;
  for (const [syms, c] of words) {
    for (let i = 0; i < syms.length; i++) {
      sym[at + i] = idOf.get(syms[i] as string) as number;
      prev[at + i] = i === 0 ? -1 : at + i - 1;
      next[at + i] = i === syms.length - 1 ? -1 : at + i + 1;
      freq[at + i] = c;
    }
    at += syms.length;
  }

  const counts = new Map<number, number>();
  const where = new Map<number, number[]>();
  const add = (key: number, f: number, pos: number) => {
    counts.set(key, (counts.get(key) ?? 0) + f);
    const list = where.get(key);
    if (list) list.push(pos);
    else where.set(key, [pos]);
  };
  for (let p = 0; p < total; p++) {
    const n = next[p] as number;
    if (n >= 0) add(pairKey(sym[p] as number, sym[n] as number), freq[p] as number, p);
  }
  const heap = new PairHeap();
  for (const [k, c] of counts) heap.push(c, k);

  const merges: Array<[string, string]> = [];
  const changed = new Set<number>();
  while (merges.length < maxMerges) {
    const top = heap.pop();
    if (!top) break;
    const [count, key] = top;
    const current = counts.get(key) ?? 0;
    if (current !== count) {
      if (current > 0 && current < count) heap.push(current, key);
      continue;
    }
    if (count < minFrequency) break;
    const a = Math.floor(key / SHIFT);
    const b = key - a * SHIFT;
    const c = symbols.length;
    symbols.push((symbols[a] as string) + (symbols[b] as string));
    merges.push([symbols[a] as string, symbols[b] as string]);
    const positions = (where.get(key) ?? []).sort((x, y) => x - y);
    counts.delete(key);
    where.delete(key);
    changed.clear();
    let last = -1;
    for (const p of positions) {
      if (p === last) continue;
      last = p;
      const n = next[p] as number;
      if (sym[p] !== a || n < 0 || sym[n] !== b) continue; // stale entry
      const f = freq[p] as number;
      const before = prev[p] as number;
      const after = next[n] as number;
      if (before >= 0) {
        const k = pairKey(sym[before] as number, a);
        const v = (counts.get(k) ?? 0) - f;
        if (v > 0) counts.set(k, v);
        else counts.delete(k);
        changed.add(k);
      }
      if (after >= 0) {
        const k = pairKey(b, sym[after] as number);
        const v = (counts.get(k) ?? 0) - f;
        if (v > 0) counts.set(k, v);
        else counts.delete(k);
        changed.add(k);
      }
      sym[p] = c;
      sym[n] = -1;
      next[p] = after;
      if (after >= 0) prev[after] = p;
      if (before >= 0) {
        const k = pairKey(sym[before] as number, c);
        add(k, f, before);
        changed.add(k);
      }
      if (after >= 0) {
        const k = pairKey(c, sym[after] as number);
        add(k, f, p);
        changed.add(k);
      }
    }
    counts.delete(key);
    for (const k of changed) {
      const v = counts.get(k);
      if (v !== undefined && v > 0) heap.push(v, k);
      else where.delete(k);
    }
    if (options.onProgress && merges.length % 1000 === 0) options.onProgress(merges.length);
  }
  return { alphabet, merges };
}
