// Padding, masks, length bucketing, seeded shuffling and streaming batches for sequence models.
import * as tf from '@tensorflow/tfjs';
import { nodeModules, RnnkitError } from '@rnnkit/core';
import { createRng, shuffle } from './random';
import type { Rng } from './random';

/** Options of {@link padSequences} (Keras `pad_sequences`; defaults equal Keras's: pre-padding, pre-truncation). */
export interface PadOptions {
  /** Length of every row. Default: the longest sequence. */
  maxLen?: number;
  /** Pad at the start (`pre`, Keras default) or at the end (`post`). */
  padding?: 'pre' | 'post';
  /** Drop tokens at the start (`pre`, Keras default) or at the end (`post`) of long sequences. */
  truncating?: 'pre' | 'post';
  /** The padding id. Default 0 (`<pad>`). */
  value?: number;
}

/** A padded batch: ids and a 1/0 mask (1 = real token), both `[batch, maxLen]`, and the true lengths. */
export interface PaddedBatch {
  ids: number[][];
  mask: number[][];
  /** Lengths after truncation. */
  lengths: number[];
  /** Indices of the rows in the original data, when the batch was made from a dataset. */
  indices?: number[];
}

/** Pads or truncates sequences to one length and builds masks. */
export function padSequences(sequences: ReadonlyArray<readonly number[]>, options: PadOptions = {}): PaddedBatch {
  const padding = options.padding ?? 'pre';
  const truncating = options.truncating ?? 'pre';
  const value = options.value ?? 0;
  if (padding !== 'pre' && padding !== 'post') throw new RnnkitError('INVALID_ARGUMENT', `Expected padding to be "pre" or "post". Received: padding=${JSON.stringify(padding)}`);
  if (truncating !== 'pre' && truncating !== 'post') throw new RnnkitError('INVALID_ARGUMENT', `Expected truncating to be "pre" or "post". Received: truncating=${JSON.stringify(truncating)}`);
  let maxLen = options.maxLen;
  if (maxLen === undefined) maxLen = sequences.reduce((m, s) => Math.max(m, s.length), 0);
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new RnnkitError('INVALID_ARGUMENT', `Expected maxLen to be a non-negative integer. Received: maxLen=${String(maxLen)}`);
  const ids: number[][] = [];
  const mask: number[][] = [];
  const lengths: number[] = [];
  for (const seq of sequences) {
    const kept = seq.length <= maxLen ? seq : truncating === 'pre' ? seq.slice(seq.length - maxLen) : seq.slice(0, maxLen);
    const pad = maxLen - kept.length;
    const padIds = new Array<number>(pad).fill(value);
    const padMask = new Array<number>(pad).fill(0);
    const ones = new Array<number>(kept.length).fill(1);
    ids.push(padding === 'pre' ? [...padIds, ...kept] : [...kept, ...padIds]);
    mask.push(padding === 'pre' ? [...padMask, ...ones] : [...ones, ...padMask]);
    lengths.push(kept.length);
  }
  return { ids, mask, lengths };
}

/** Turns a padded batch into tensors: `ids` int32 `[batch, maxLen]`, `mask` float32 `[batch, maxLen]`. The caller disposes them. */
export function batchToTensors(batch: PaddedBatch): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
  const rows = batch.ids.length;
  const cols = batch.ids[0]?.length ?? 0;
  return {
    ids: tf.tensor2d(batch.ids.flat(), [rows, cols], 'int32'),
    mask: tf.tensor2d(batch.mask.flat(), [rows, cols], 'float32'),
  };
}

/** Options of {@link bucketByLength}. */
export interface BucketOptions {
  /** Most sequences per batch. */
  batchSize: number;
  /** Most padded tokens (rows × longest row) per batch; batches of long sequences get fewer rows. */
  maxTokens?: number;
  /** Shuffle ties within a length and the order of batches. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
}

/**
 * Groups sequence indices into batches of similar length, so padding stays small: sorts by length
 * (ties in seeded random order), cuts into batches, then shuffles the batch order with the seed.
 */
export function bucketByLength(lengths: readonly number[], options: BucketOptions): number[][] {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RnnkitError('INVALID_ARGUMENT', `Expected batchSize to be a positive integer. Received: batchSize=${String(batchSize)}`);
  const doShuffle = options.shuffle ?? true;
  const rng: Rng = createRng(options.seed ?? 0);
  const order = lengths.map((_, i) => i);
  const base = doShuffle ? shuffle(order, rng) : order;
  const sorted = base.slice().sort((a, b) => (lengths[a] as number) - (lengths[b] as number));
  const batches: number[][] = [];
  let cur: number[] = [];
  let curMax = 0;
  for (const i of sorted) {
    const len = lengths[i] as number;
    const newMax = Math.max(curMax, len);
    const tooMany = cur.length >= batchSize || (options.maxTokens !== undefined && cur.length > 0 && newMax * (cur.length + 1) > options.maxTokens);
    if (tooMany) {
      batches.push(cur);
      cur = [];
    }
    cur.push(i);
    curMax = cur.length === 1 ? len : Math.max(curMax, len);
  }
  if (cur.length > 0) batches.push(cur);
  return doShuffle ? shuffle(batches, rng) : batches;
}

/** Options of {@link makeBatches}. */
export interface MakeBatchesOptions extends Omit<PadOptions, 'maxLen'>, Partial<BucketOptions> {
  /** Truncate every sequence to at most this length. */
  maxLen?: number;
  /** Bucket by length (default true); false keeps data order (shuffled when `shuffle`). */
  bucket?: boolean;
}

/** Builds padded batches from encoded sequences, bucketed by length and shuffled with a seed. */
export function makeBatches(sequences: ReadonlyArray<readonly number[]>, options: MakeBatchesOptions = {}): PaddedBatch[] {
  const batchSize = options.batchSize ?? 32;
  const cap = options.maxLen;
  const lengths = sequences.map((s) => (cap === undefined ? s.length : Math.min(cap, s.length)));
  let groups: number[][];
  if (options.bucket ?? true) {
    const bucketOpts: BucketOptions = { batchSize, shuffle: options.shuffle ?? true, seed: options.seed ?? 0 };
    if (options.maxTokens !== undefined) bucketOpts.maxTokens = options.maxTokens;
    groups = bucketByLength(lengths, bucketOpts);
  } else {
    const idx = sequences.map((_, i) => i);
    const order = options.shuffle ? shuffle(idx, options.seed ?? 0) : idx;
    groups = [];
    for (let i = 0; i < order.length; i += batchSize) groups.push(order.slice(i, i + batchSize));
  }
  return groups.map((g) => {
    const rows = g.map((i) => sequences[i] as readonly number[]);
    const maxLen = Math.max(0, ...g.map((i) => lengths[i] as number));
    const pad: PadOptions = { maxLen };
    if (options.padding) pad.padding = options.padding;
    if (options.truncating) pad.truncating = options.truncating;
    if (options.value !== undefined) pad.value = options.value;
    return { ...padSequences(rows, pad), indices: g };
  });
}

/** Share of padding among all cells of the batches (0 = no padding). */
export function paddingFraction(batches: readonly PaddedBatch[]): number {
  let cells = 0;
  let real = 0;
  for (const b of batches) {
    for (const row of b.mask) {
      cells += row.length;
      for (const m of row) real += m;
    }
  }
  return cells === 0 ? 0 : 1 - real / cells;
}

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** Skip empty lines. Default false. */
  skipEmpty?: boolean;
  /** Throw PARSE_ERROR on a NUL character (a binary file). Default true. */
  rejectBinary?: boolean;
}

/**
 * Reads a text file line by line (Node `readline`), in constant memory, as an async iterator. Throws
 * RnnkitError IO_ERROR when the file cannot be read and PARSE_ERROR when it looks binary (NUL bytes).
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<string, void, undefined> {
  const { fs, readline } = await nodeModules();
  const stream = fs.createReadStream(path, { encoding: 'utf8' });
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  const rejectBinary = options.rejectBinary ?? true;
  let lineNo = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      if (rejectBinary && line.includes('\u0000')) {
        throw new RnnkitError('PARSE_ERROR', `Expected a text file. Received: a NUL byte on line ${lineNo} of ${path} (binary file?)`);
      }
      if (options.skipEmpty && line.length === 0) continue;
      yield line;
    }
  } catch (cause) {
    if (cause instanceof RnnkitError) throw cause;
    throw new RnnkitError('IO_ERROR', `Could not read ${path}`, { cause });
  } finally {
    rl.close();
    stream.destroy();
  }
}

/** Options of {@link streamBatches}. */
export interface StreamBatchesOptions extends Omit<MakeBatchesOptions, 'batchSize'> {
  batchSize: number;
  /** How many batches' worth of sequences to hold for local bucketing. Default 50. Memory is bounded by it. */
  poolBatches?: number;
}

/**
 * Streams padded batches from an (async) iterable of items, e.g. `readLines(file)`: holds a pool of
 * `batchSize × poolBatches` encoded sequences, buckets and shuffles within it, yields, and refills.
 */
export async function* streamBatches<T>(
  items: AsyncIterable<T> | Iterable<T>,
  encode: (item: T) => readonly number[],
  options: StreamBatchesOptions,
): AsyncGenerator<PaddedBatch, void, undefined> {
  const poolSize = options.batchSize * (options.poolBatches ?? 50);
  let pool: Array<readonly number[]> = [];
  let round = 0;
  const flush = function* (this: void): Generator<PaddedBatch> {
    const batches = makeBatches(pool, { ...options, seed: (options.seed ?? 0) + round++ });
    for (const b of batches) {
      delete b.indices;
      yield b;
    }
    pool = [];
  };
  for await (const item of items) {
    pool.push(encode(item));
    if (pool.length >= poolSize) yield* flush();
  }
  if (pool.length > 0) yield* flush();
}
