// Applying learned merges: deterministic, cached per word, with end-of-word marking for exact decoding.
import { nodeModules, RnnkitError } from '@rnnkit/core';
import { Vocab } from '../vocab';
import type { VocabSpecials } from '../vocab';
import { END_OF_WORD, countWords, initialSymbols, learnBpeMerges } from './learn';
import type { BpeLearnOptions } from './learn';

/** The JSON form of a {@link Bpe} model. */
export interface BpeJSON {
  format: 'rnnkit-bpe';
  version: 1;
  endOfWord: string;
  /** Initial symbols (single characters, with and without the end-of-word marker). */
  alphabet: string[];
  /** Merges in the order they were learned: each pair of symbols becomes their concatenation. */
  merges: Array<[string, string]>;
}

/** Options of {@link Bpe}. */
export interface BpeOptions {
  /** Words kept in the per-word cache before it is cleared. Default 100,000; 0 disables caching. */
  cacheSize?: number;
}

const SHIFT = 4194304;

/**
 * A byte-pair-encoding subword model (subword-nmt style): words are split into characters, the last
 * one marked with `</w>`, then learned merges are applied in order of rank. Subwords that end a word
 * carry `</w>`, so {@link decode} restores whitespace-tokenized text exactly.
 */
export class Bpe {
  /** The initial symbols: single characters, and single characters + `</w>`. */
  readonly alphabet: readonly string[];
  /** The merges in rank order (earlier merges apply first). */
  readonly merges: ReadonlyArray<readonly [string, string]>;
  private readonly symbolId = new Map<string, number>();
  private readonly symbolOf: string[] = [];
  private readonly rank = new Map<number, number>();
  private readonly mergedId = new Map<number, number>();
  private readonly cache = new Map<string, string[]>();
  private readonly cacheSize: number;

  /** A model from its alphabet and ordered merges (as {@link learnBpeMerges} returns them). */
  constructor(alphabet: readonly string[], merges: ReadonlyArray<readonly [string, string]>, options: BpeOptions = {}) {
    this.alphabet = Object.freeze([...alphabet]);
    this.merges = Object.freeze(merges.map(([a, b]) => Object.freeze([a, b] as const)));
    this.cacheSize = options.cacheSize ?? 100_000;
    const intern = (s: string) => {
      let id = this.symbolId.get(s);
      if (id === undefined) {
        id = this.symbolOf.length;
        this.symbolId.set(s, id);
        this.symbolOf.push(s);
      }
      return id;
    };
    for (const s of alphabet) intern(s);
    merges.forEach(([a, b], r) => {
      if (typeof a !== 'string' || typeof b !== 'string' || a.length === 0 || b.length === 0) {
        throw new RnnkitError('PARSE_ERROR', `Expected merge ${r} to be a pair of non-empty strings. Received: ${JSON.stringify([a, b])}`);
      }
      const key = intern(a) * SHIFT + intern(b);
      if (!this.rank.has(key)) {
        this.rank.set(key, r);
        this.mergedId.set(key, intern(a + b));
      }
    });
  }

  /** Learns a model from sentences (split on whitespace). Learn one per corpus for separate source/target models, or on both for a joint one. */
  static learn(sentences: Iterable<string>, options: BpeLearnOptions & BpeOptions): Bpe {
    return Bpe.learnFromCounts(countWords(sentences), options);
  }

  /** Learns from precomputed word counts. */
  static learnFromCounts(wordCounts: ReadonlyMap<string, number>, options: BpeLearnOptions & BpeOptions): Bpe {
    const { alphabet, merges } = learnBpeMerges(wordCounts, options);
    return new Bpe(alphabet, merges, options);
  }

  /** Splits one word (no whitespace) into subwords; the last ends with `</w>`. Unknown characters stay single symbols. */
  encodeWord(word: string): string[] {
    if (word.length === 0) return [];
    const cached = this.cache.get(word);
    if (cached) return cached.slice();
    const parts = initialSymbols(word);
    const ids = parts.map((p) => this.symbolId.get(p) ?? -1);
    for (;;) {
      let bestRank = Infinity;
      let bestKey = -1;
      for (let i = 0; i + 1 < ids.length; i++) {
        const a = ids[i] as number;
        const b = ids[i + 1] as number;
        if (a < 0 || b < 0) continue;
        const r = this.rank.get(a * SHIFT + b);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          bestKey = a * SHIFT + b;
        }
      }
      if (bestKey < 0) break;
      const a = Math.floor(bestKey / SHIFT);
      const b = bestKey - a * SHIFT;
      const c = this.mergedId.get(bestKey) as number;
      let w = 0;
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] === a && ids[i + 1] === b) {
          parts[w] = (parts[i] as string) + (parts[i + 1] as string);
          ids[w] = c;
          i++;
        } else {
          parts[w] = parts[i] as string;
          ids[w] = ids[i] as number;
        }
        w++;
      }
      parts.length = w;
      ids.length = w;
    }
    if (this.cacheSize > 0) {
      if (this.cache.size >= this.cacheSize) this.cache.clear();
      this.cache.set(word, parts.slice());
    }
    return parts;
  }

  /** Splits text on whitespace and encodes each word. */
  encode(text: string): string[] {
    const out: string[] = [];
    for (const w of text.split(/\s+/)) if (w.length > 0) for (const p of this.encodeWord(w)) out.push(p);
    return out;
  }

  /** Encodes already tokenized words. */
  encodeWords(words: readonly string[]): string[] {
    const out: string[] = [];
    for (const w of words) for (const p of this.encodeWord(w)) out.push(p);
    return out;
  }

  /** Joins subwords back into text: `</w>` becomes a space between words. `decode(encode(x)) === x` for single-space-separated `x`. */
  decode(subwords: readonly string[]): string {
    const words: string[] = [];
    let cur = '';
    for (const s of subwords) {
      if (s.endsWith(END_OF_WORD)) {
        words.push(cur + s.slice(0, -END_OF_WORD.length));
        cur = '';
      } else {
        cur += s;
      }
    }
    if (cur.length > 0) words.push(cur);
    return words.join(' ');
  }

  /** All symbols the model can produce (alphabet, then merge results), as a {@link Vocab} with specials. */
  toVocab(specials: Partial<VocabSpecials> = {}): Vocab {
    const seen = new Set<string>();
    const tokens: string[] = [];
    for (const s of this.symbolOf) {
      if (!seen.has(s)) {
        seen.add(s);
        tokens.push(s);
      }
    }
    return Vocab.fromTokens(tokens, specials);
  }

  /** Number of words in the cache (for tests and tuning). */
  get cachedWords(): number {
    return this.cache.size;
  }

  /** The JSON form. */
  toJSON(): BpeJSON {
    return { format: 'rnnkit-bpe', version: 1, endOfWord: END_OF_WORD, alphabet: [...this.alphabet], merges: this.merges.map(([a, b]) => [a, b]) };
  }

  /** Restores from {@link toJSON}'s output (object or string); PARSE_ERROR when it is not a BPE model. */
  static fromJSON(json: BpeJSON | string, options: BpeOptions = {}): Bpe {
    let obj: unknown;
    try {
      obj = typeof json === 'string' ? JSON.parse(json) : json;
    } catch (cause) {
      throw new RnnkitError('PARSE_ERROR', 'Expected BPE model JSON. Received: text that is not JSON', { cause });
    }
    const o = obj as Partial<BpeJSON> | null;
    if (!o || o.format !== 'rnnkit-bpe' || !Array.isArray(o.merges) || !Array.isArray(o.alphabet)) {
      throw new RnnkitError('PARSE_ERROR', `Expected an object with format "rnnkit-bpe", alphabet and merges. Received: format=${JSON.stringify(o?.format)}`);
    }
    if (o.endOfWord !== END_OF_WORD) {
      throw new RnnkitError('UNSUPPORTED', `Expected endOfWord ${JSON.stringify(END_OF_WORD)}. Received: ${JSON.stringify(o.endOfWord)}`);
    }
    for (const m of o.merges) {
      if (!Array.isArray(m) || m.length !== 2) throw new RnnkitError('PARSE_ERROR', `Expected each merge to be a pair. Received: ${JSON.stringify(m)}`);
    }
    return new Bpe(o.alphabet, o.merges, options);
  }
}

/** Learns a {@link Bpe} model from sentences; see {@link Bpe.learn}. */
export function learnBpe(sentences: Iterable<string>, options: BpeLearnOptions & BpeOptions): Bpe {
  return Bpe.learn(sentences, options);
}

/** Writes a BPE model as JSON to a file (Node). */
export async function saveBpe(bpe: Bpe, path: string): Promise<void> {
  const { fsp: fs } = await nodeModules();
  try {
    await fs.writeFile(path, JSON.stringify(bpe.toJSON()), 'utf8');
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Could not write BPE model to ${path}`, { cause });
  }
}

/** Reads a BPE model JSON file (Node): IO_ERROR when unreadable, PARSE_ERROR when not a BPE model. */
export async function loadBpe(path: string, options: BpeOptions = {}): Promise<Bpe> {
  const { fsp: fs } = await nodeModules();
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Could not read BPE model file ${path}`, { cause });
  }
  return Bpe.fromJSON(text, options);
}
