import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { batchToTensors, bucketByLength, makeBatches, padSequences, paddingFraction, readLines, streamBatches } from './batching';
import { createRng, shuffle } from './random';

describe('padSequences', () => {
  const seqs = [[1, 2, 3], [4], [5, 6, 7, 8, 9]];

  it('pads and truncates pre by default (Keras)', () => {
    const b = padSequences(seqs, { maxLen: 4 });
    expect(b.ids).toEqual([[0, 1, 2, 3], [0, 0, 0, 4], [6, 7, 8, 9]]);
    expect(b.mask).toEqual([[0, 1, 1, 1], [0, 0, 0, 1], [1, 1, 1, 1]]);
    expect(b.lengths).toEqual([3, 1, 4]);
  });

  it('pads and truncates post', () => {
    const b = padSequences(seqs, { maxLen: 4, padding: 'post', truncating: 'post', value: 9 });
    expect(b.ids).toEqual([[1, 2, 3, 9], [4, 9, 9, 9], [5, 6, 7, 8]]);
    expect(b.mask).toEqual([[1, 1, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1]]);
  });

  it('defaults maxLen to the longest and handles empty input', () => {
    expect(padSequences(seqs).ids[0]).toHaveLength(5);
    expect(padSequences([]).ids).toEqual([]);
    expect(padSequences([[]]).ids).toEqual([[]]);
    expect(() => padSequences(seqs, { maxLen: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => padSequences(seqs, { padding: 'middle' as 'pre' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('makes int32 id and float mask tensors without leaking', () => {
    const b = padSequences(seqs, { maxLen: 4 });
    const { ids, mask } = batchToTensors(b);
    expect(ids.dtype).toBe('int32');
    expect(ids.shape).toEqual([3, 4]);
    expect(mask.dtype).toBe('float32');
    tf.dispose([ids, mask]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.dispose(Object.values(batchToTensors(b)));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('seeded shuffling', () => {
  it('is deterministic per seed and a permutation', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    expect(shuffle(xs, 42)).toEqual(shuffle(xs, 42));
    expect(shuffle(xs, 42)).not.toEqual(shuffle(xs, 43));
    expect([...shuffle(xs, 42)].sort((a, b) => a - b)).toEqual(xs);
    const r = createRng(1);
    const v = [r(), r(), r()];
    expect(v.every((x) => x >= 0 && x < 1)).toBe(true);
    const r2 = createRng(1);
    expect([r2(), r2(), r2()]).toEqual(v);
  });
});

describe('bucketing', () => {
  // Realistic sentence lengths: 3..60 tokens, skewed short.
  const rng = createRng(7);
  const seqs = Array.from({ length: 3000 }, () => Array.from({ length: 3 + Math.floor(57 * rng() * rng()) }, () => 1 + Math.floor(rng() * 100)));

  it('keeps padding under 10% of tokens (vs. much more without bucketing)', () => {
    const bucketed = makeBatches(seqs, { batchSize: 32, seed: 1 });
    const plain = makeBatches(seqs, { batchSize: 32, seed: 1, bucket: false, shuffle: true });
    expect(paddingFraction(bucketed)).toBeLessThan(0.1);
    expect(paddingFraction(plain)).toBeGreaterThan(0.3);
  });

  it('covers every sequence exactly once, deterministically per seed', () => {
    const batches = bucketByLength(seqs.map((s) => s.length), { batchSize: 32, seed: 3 });
    expect(batches.flat().sort((a, b) => a - b)).toEqual(seqs.map((_, i) => i));
    expect(bucketByLength(seqs.map((s) => s.length), { batchSize: 32, seed: 3 })).toEqual(batches);
    expect(bucketByLength(seqs.map((s) => s.length), { batchSize: 32, seed: 4 })).not.toEqual(batches);
  });

  it('respects maxTokens', () => {
    const batches = makeBatches(seqs, { batchSize: 64, maxTokens: 512, seed: 1 });
    for (const b of batches) expect(b.ids.length === 1 || b.ids.length * (b.ids[0]?.length ?? 0) <= 512).toBe(true);
  });

  it('rejects a bad batch size', () => {
    expect(() => bucketByLength([1, 2], { batchSize: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('streaming', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnkit-stream-'));
  const path = join(dir, 'corpus.txt');
  const lines = Array.from({ length: 5000 }, (_, i) => 'w '.repeat(1 + (i % 23)).trim());
  writeFileSync(path, lines.join('\n') + '\n');

  it('reads lines lazily', async () => {
    let n = 0;
    for await (const line of readLines(path)) {
      expect(line).toBe(lines[n]);
      n++;
    }
    expect(n).toBe(5000);
  });

  it('yields padded batches with a bounded pool, covering every line', async () => {
    let consumed = 0;
    const counted = (async function* () {
      for await (const l of readLines(path)) {
        consumed++;
        yield l;
      }
    })();
    let total = 0;
    let first = true;
    for await (const b of streamBatches(counted, (l) => l.split(' ').map(() => 1), { batchSize: 16, poolBatches: 4, seed: 1 })) {
      if (first) {
        expect(consumed).toBeLessThanOrEqual(64); // only one pool read before the first batch
        first = false;
      }
      expect(b.ids.length).toBeLessThanOrEqual(16);
      total += b.lengths.length;
    }
    expect(total).toBe(5000);
  });

  it('rejects a missing file with IO_ERROR and a binary file with PARSE_ERROR', async () => {
    const drain = async (p: string) => {
      for await (const _ of readLines(p)) void _;
    };
    await expect(drain(join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'IO_ERROR' });
    writeFileSync(join(dir, 'bin.dat'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0x0a, 0xff, 0xfe]));
    await expect(drain(join(dir, 'bin.dat'))).rejects.toMatchObject({ code: 'PARSE_ERROR' });
  });
});
