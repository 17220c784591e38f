// Token ↔ id vocabulary with reserved specials, frequency cut-offs, JSON round trip and a fingerprint.
import { nodeModules, RnnkitError } from '@rnnkit/core';
import { hashStrings } from './hash';

/** The reserved special tokens. `<pad>` is always id 0. */
export interface VocabSpecials {
  pad: string;
  unk: string;
  bos: string;
  eos: string;
}

/** Default specials: `<pad>`=0, `<unk>`=1, `<bos>`=2, `<eos>`=3. */
export const DEFAULT_SPECIALS: Readonly<VocabSpecials> = Object.freeze({ pad: '<pad>', unk: '<unk>', bos: '<bos>', eos: '<eos>' });

/** Options of {@link Vocab.build}. */
export interface VocabBuildOptions {
  /** Keep tokens seen at least this many times. Default 1. */
  minFreq?: number;
  /** Total size including the 4 specials. Default unlimited. */
  maxSize?: number;
  /** Names of the special tokens. */
  specials?: Partial<VocabSpecials>;
}

/** Options of {@link Vocab.encode}. */
export interface VocabEncodeOptions {
  /** Prepend `<bos>`. */
  addBos?: boolean;
  /** Append `<eos>`. */
  addEos?: boolean;
}

/** Options of {@link Vocab.decode}. */
export interface VocabDecodeOptions {
  /** Leave out `<pad>`, `<bos>` and `<eos>` (not `<unk>`). Default true. */
  skipSpecials?: boolean;
}

/** The JSON form of a {@link Vocab}. */
export interface VocabJSON {
  format: 'rnnkit-vocab';
  version: 1;
  specials: VocabSpecials;
  /** All tokens in id order, specials first. */
  tokens: string[];
  fingerprint: string;
}

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected ${name} to be a positive integer. Received: ${name}=${String(v)}`);
  }
  return v;
}

/** Sorts [token, count] by count descending, then by token code units ascending: a total, locale-free order. */
function compareCounts(a: [string, number], b: [string, number]): number {
  if (a[1] !== b[1]) return b[1] - a[1];
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/**
 * A vocabulary: ids `0..size-1`, specials first (`<pad>`=0, `<unk>`=1, `<bos>`=2, `<eos>`=3), then tokens
 * by decreasing frequency (ties by code-unit order, so builds are deterministic). Unknown tokens map to
 * `<unk>` and are counted in {@link Vocab.unknownCount}.
 */
export class Vocab {
  readonly specials: Readonly<VocabSpecials>;
  readonly padId = 0;
  readonly unkId = 1;
  readonly bosId = 2;
  readonly eosId = 3;
  /** A hash of the specials and the ordered tokens; a model records it to refuse a different vocabulary. */
  readonly fingerprint: string;
  /** How many tokens `encode` has mapped to `<unk>` since creation or {@link resetStats}. */
  unknownCount = 0;
  /** How many tokens `encode` has seen since creation or {@link resetStats}. */
  tokenCount = 0;
  private readonly itos: readonly string[];
  private readonly stoi: Map<string, number>;

  /** Builds from the full token list (specials first, in pad, unk, bos, eos order). Prefer {@link Vocab.build} or {@link Vocab.fromTokens}. */
  constructor(tokens: readonly string[], specials: VocabSpecials = { ...DEFAULT_SPECIALS }) {
    const expected = [specials.pad, specials.unk, specials.bos, specials.eos];
    for (let i = 0; i < 4; i++) {
      if (tokens[i] !== expected[i]) {
        throw new RnnkitError('INVALID_ARGUMENT', `Expected token ${i} to be the special ${JSON.stringify(expected[i])}. Received: ${JSON.stringify(tokens[i])}`);
      }
    }
    this.stoi = new Map();
    tokens.forEach((t, i) => {
      if (this.stoi.has(t)) throw new RnnkitError('INVALID_ARGUMENT', `Expected unique tokens. Received: ${JSON.stringify(t)} twice (ids ${this.stoi.get(t)} and ${i})`);
      this.stoi.set(t, i);
    });
    this.itos = Object.freeze([...tokens]);
    this.specials = Object.freeze({ ...specials });
    this.fingerprint = computeFingerprint(this.itos, this.specials);
  }

  /** Counts tokens in a corpus of tokenized sentences and keeps those with `count >= minFreq`, at most `maxSize` in all. */
  static build(corpus: Iterable<readonly string[]>, options: VocabBuildOptions = {}): Vocab {
    const counts = new Map<string, number>();
    for (const sentence of corpus) for (const t of sentence) counts.set(t, (counts.get(t) ?? 0) + 1);
    return Vocab.fromCounts(counts, options);
  }

  /** Like {@link Vocab.build}, from precomputed counts. */
  static fromCounts(counts: ReadonlyMap<string, number>, options: VocabBuildOptions = {}): Vocab {
    const minFreq = positiveInt('minFreq', options.minFreq, 1);
    const maxSize = positiveInt('maxSize', options.maxSize, Number.MAX_SAFE_INTEGER);
    const specials = { ...DEFAULT_SPECIALS, ...options.specials };
    const specialSet = new Set([specials.pad, specials.unk, specials.bos, specials.eos]);
    if (specialSet.size !== 4) throw new RnnkitError('INVALID_ARGUMENT', `Expected 4 distinct specials. Received: ${JSON.stringify(specials)}`);
    if (maxSize < 4) throw new RnnkitError('INVALID_ARGUMENT', `Expected maxSize to be at least 4 (the specials). Received: maxSize=${maxSize}`);
    const entries = [...counts].filter(([t, c]) => c >= minFreq && !specialSet.has(t));
    entries.sort(compareCounts);
    const kept = entries.slice(0, maxSize - 4).map(([t]) => t);
    return new Vocab([specials.pad, specials.unk, specials.bos, specials.eos, ...kept], specials);
  }

  /** A vocabulary of exactly these (non-special) tokens, in this order, after the specials. */
  static fromTokens(tokens: readonly string[], specials: Partial<VocabSpecials> = {}): Vocab {
    const s = { ...DEFAULT_SPECIALS, ...specials };
    return new Vocab([s.pad, s.unk, s.bos, s.eos, ...tokens], s);
  }

  /** Number of ids, specials included. */
  get size(): number {
    return this.itos.length;
  }

  /** All tokens in id order. */
  get tokens(): readonly string[] {
    return this.itos;
  }

  /** True if `token` has its own id. */
  has(token: string): boolean {
    return this.stoi.has(token);
  }

  /** The id of `token`, or `<unk>`'s id (not counted as unknown). */
  id(token: string): number {
    return this.stoi.get(token) ?? this.unkId;
  }

  /** The token of `id`; throws INVALID_ARGUMENT outside `0..size-1`. */
  token(id: number): string {
    const t = this.itos[id];
    if (t === undefined) throw new RnnkitError('INVALID_ARGUMENT', `Expected an id in 0..${this.size - 1}. Received: id=${id}`);
    return t;
  }

  /** Maps tokens to ids; unknown tokens become `<unk>` and are counted. */
  encode(tokens: readonly string[], options: VocabEncodeOptions = {}): number[] {
    const ids: number[] = [];
    if (options.addBos) ids.push(this.bosId);
    for (const t of tokens) {
      const id = this.stoi.get(t);
      if (id === undefined) {
        this.unknownCount++;
        ids.push(this.unkId);
      } else {
        ids.push(id);
      }
    }
    this.tokenCount += tokens.length;
    if (options.addEos) ids.push(this.eosId);
    return ids;
  }

  /** Maps ids back to tokens (specials other than `<unk>` skipped by default). */
  decode(ids: Iterable<number>, options: VocabDecodeOptions = {}): string[] {
    const skip = options.skipSpecials ?? true;
    const out: string[] = [];
    for (const id of ids) {
      if (skip && (id === this.padId || id === this.bosId || id === this.eosId)) continue;
      out.push(this.token(id));
    }
    return out;
  }

  /** Share of encoded tokens that were unknown, 0 when nothing was encoded. */
  get unknownRate(): number {
    return this.tokenCount === 0 ? 0 : this.unknownCount / this.tokenCount;
  }

  /** Resets {@link unknownCount} and {@link tokenCount}. */
  resetStats(): void {
    this.unknownCount = 0;
    this.tokenCount = 0;
  }

  /** The JSON form (with the fingerprint). */
  toJSON(): VocabJSON {
    return { format: 'rnnkit-vocab', version: 1, specials: { ...this.specials }, tokens: [...this.itos], fingerprint: this.fingerprint };
  }

  /** Restores from {@link toJSON}'s output (object or string); refuses a wrong format (PARSE_ERROR) or a fingerprint that does not match the tokens (MISMATCH). */
  static fromJSON(json: VocabJSON | string): Vocab {
    let obj: unknown;
    try {
      obj = typeof json === 'string' ? JSON.parse(json) : json;
    } catch (cause) {
      throw new RnnkitError('PARSE_ERROR', 'Expected vocabulary JSON. Received: text that is not JSON', { cause });
    }
    const o = obj as Partial<VocabJSON> | null;
    if (!o || o.format !== 'rnnkit-vocab' || !Array.isArray(o.tokens) || !o.specials || o.tokens.some((t) => typeof t !== 'string')) {
      throw new RnnkitError('PARSE_ERROR', `Expected an object with format "rnnkit-vocab", specials and a tokens array of strings. Received: format=${JSON.stringify(o?.format)}`);
    }
    let vocab: Vocab;
    try {
      vocab = new Vocab(o.tokens, o.specials);
    } catch (cause) {
      throw new RnnkitError('PARSE_ERROR', `Expected a valid vocabulary (specials first, unique tokens). Received: ${(cause as Error).message}`, { cause });
    }
    if (o.fingerprint !== undefined && o.fingerprint !== vocab.fingerprint) {
      throw new RnnkitError('MISMATCH', `Expected the stored fingerprint to match the tokens. Received: stored ${o.fingerprint}, computed ${vocab.fingerprint}`);
    }
    return vocab;
  }
}

function computeFingerprint(tokens: readonly string[], specials: Readonly<VocabSpecials>): string {
  return 'v1-' + hashStrings(['rnnkit-vocab', specials.pad, specials.unk, specials.bos, specials.eos, String(tokens.length), ...tokens]);
}

/**
 * Refuses a vocabulary whose fingerprint differs from the one a model recorded: throws RnnkitError
 * `MISMATCH`, naming both fingerprints and sizes.
 */
export function assertVocabMatches(vocab: Vocab, expected: { fingerprint: string; size?: number } | string): void {
  const fp = typeof expected === 'string' ? expected : expected.fingerprint;
  if (vocab.fingerprint !== fp) {
    const size = typeof expected === 'string' || expected.size === undefined ? '' : ` (size ${expected.size})`;
    throw new RnnkitError(
      'MISMATCH',
      `Expected the vocabulary the model was trained with, fingerprint ${fp}${size}. Received: fingerprint ${vocab.fingerprint} (size ${vocab.size})`,
    );
  }
}

/** Writes the vocabulary as JSON to a file (Node). */
export async function saveVocab(vocab: Vocab, path: string): Promise<void> {
  const { fsp: fs } = await nodeModules();
  try {
    await fs.writeFile(path, JSON.stringify(vocab.toJSON()), 'utf8');
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Could not write vocabulary to ${path}`, { cause });
  }
}

/** Reads a vocabulary JSON file (Node); optionally checks it against an expected fingerprint. */
export async function loadVocab(path: string, expectedFingerprint?: string): Promise<Vocab> {
  const { fsp: fs } = await nodeModules();
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Could not read vocabulary file ${path}`, { cause });
  }
  const vocab = Vocab.fromJSON(text);
  if (expectedFingerprint !== undefined) assertVocabMatches(vocab, expectedFingerprint);
  return vocab;
}
