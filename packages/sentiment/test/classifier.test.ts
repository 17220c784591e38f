// Integration: a tiny BiLSTM learns the fixture, predicts, explains, round-trips through save/load, and
// the forward pass on core's fused kernels matches the composite tfjs path.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, isRnnkitError, setKernelMode } from '@rnnkit/core';
import { Vocab } from '@rnnkit/text';
import { SentimentClassifier } from '../src/index';
import { trainTiny } from './helpers';

let clf: SentimentClassifier;
let devAccuracy: number | null;
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rnnkit-sentiment-'));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  await initBackend();
  ({ clf, devAccuracy } = await trainTiny());
});

afterAll(() => {
  clf?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('SentimentClassifier', () => {
  it('learns the fixture: dev accuracy well above chance', () => {
    expect(devAccuracy).not.toBeNull();
    expect(devAccuracy as number).toBeGreaterThanOrEqual(0.83);
    expect(clf.labels).toEqual(['neg', 'pos']);
  });

  it('predicts a label, a confidence and every class probability', () => {
    const p = clf.predict('a really great and wonderful film');
    expect(p.label).toBe('pos');
    expect(p.confidence).toBeGreaterThan(0.5);
    expect(Object.keys(p.scores).sort()).toEqual(['neg', 'pos']);
    expect((p.scores.neg as number) + (p.scores.pos as number)).toBeCloseTo(1, 5);
    expect(clf.predict('terrible , boring and bad').label).toBe('neg');
  });

  it('predictBatch keeps the order and equals predict one at a time', () => {
    const texts = ['good', 'a bad , awful and terrible movie with a boring plot', 'great', ''];
    const batch = clf.predictBatch(texts);
    texts.forEach((t, i) => expect(batch[i]?.confidence).toBeCloseTo(clf.predict(t).confidence, 5));
  });

  it('evaluate gives accuracy, per-class metrics, macro F1 and a confusion matrix', async () => {
    const ev = clf.evaluate([{ text: 'good', label: 'pos' }, { text: 'bad', label: 'neg' }, { text: 'great', label: 'pos' }]);
    expect(ev.count).toBe(3);
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(3);
    expect(ev.perClass.pos?.support).toBe(2);
    expect(ev.macroF1).toBeGreaterThan(0);
  });

  it('padding does not change a prediction (masked pooling)', () => {
    const ids = clf.vocab.encode(clf.preprocessor.tokens('a good film'));
    const a = clf.probabilities([ids]);
    const b = tf.tidy(() => clf.forward(tf.tensor2d([[...ids, 0, 0, 0, 0]], [1, ids.length + 4], 'int32')).dataSync());
    expect(b[1]).toBeCloseTo(a[1] as number, 5);
  });

  it('the fused forward pass equals the composite tfjs path', () => {
    const ids = tf.tensor2d([[5, 6, 7, 0], [8, 9, 0, 0]], [2, 4], 'int32');
    const fused = tf.tidy(() => clf.forward(ids, false).dataSync());
    setKernelMode('composite'); // core's layers too: per-timestep tfjs ops
    const composite = tf.tidy(() => clf.forward(ids, false).dataSync());
    setKernelMode('auto');
    for (let i = 0; i < fused.length; i++) expect(fused[i]).toBeCloseTo(composite[i] as number, 5);
    ids.dispose();
  });

  it('explains by occlusion: one contribution per token, the sentiment word the largest', () => {
    const e = clf.explain('the film was wonderful');
    expect(e.tokens.map((t) => t.token)).toEqual(['the', 'film', 'was', 'wonderful']);
    const top = [...e.tokens].sort((a, b) => b.contribution - a.contribution)[0];
    expect(top?.token).toBe('wonderful');
  });

  it('leaks no tensors over repeated predict / explain', () => {
    clf.predict('warm up');
    clf.explain('warm up');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      clf.predict('a good film');
      clf.predictBatch(['bad', 'great plot']);
      clf.explain('a terrible plot');
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('round-trips through save / load with identical predictions (and float16 weights)', async () => {
    const dir = join(tempDir(), 'model');
    await clf.save(dir);
    const loaded = await SentimentClassifier.load(dir);
    const texts = ['a good film', 'the plot was boring', 'really awful music', 'great'];
    const a = clf.predictBatch(texts);
    const b = loaded.predictBatch(texts);
    a.forEach((p, i) => {
      expect(b[i]?.label).toBe(p.label);
      expect(b[i]?.confidence).toBeCloseTo(p.confidence, 6);
    });
    loaded.dispose();
    await clf.save(dir, { quantization: 'float16' }); // replaces the saved model in place
    const half = await SentimentClassifier.load(dir);
    half.predictBatch(texts).forEach((p, i) => expect(p.confidence).toBeCloseTo(a[i]?.confidence as number, 2));
    half.dispose();
  });

  it('load refuses a folder that is not a model (INVALID_MODEL) and a vocabulary mismatch (MISMATCH), leaving no tensors', async () => {
    const before = tf.memory().numTensors;
    const empty = tempDir();
    await expect(SentimentClassifier.load(empty)).rejects.toMatchObject({ code: 'INVALID_MODEL' });
    writeFileSync(join(empty, 'sentiment.json'), '{"format":"something-else"}');
    await expect(SentimentClassifier.load(empty)).rejects.toMatchObject({ code: 'INVALID_MODEL' });
    const dir = join(tempDir(), 'model');
    await clf.save(dir);
    const meta = JSON.parse(readFileSync(join(dir, 'sentiment.json'), 'utf8'));
    meta.vocab.tokens.push('extra-word');
    delete meta.vocab.fingerprint;
    writeFileSync(join(dir, 'sentiment.json'), JSON.stringify(meta));
    const err = await SentimentClassifier.load(dir).catch((e: unknown) => e);
    expect(isRnnkitError(err, 'MISMATCH')).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses to overwrite a folder that holds other files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    await expect(clf.save(dir)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('trains with the composite path too (GRU, mean pooling)', async () => {
    setKernelMode('composite');
    try {
      const r = await trainTiny({ cell: 'gru', pooling: 'mean' });
      expect(r.devAccuracy as number).toBeGreaterThanOrEqual(0.75);
      r.clf.dispose();
    } finally {
      setKernelMode('auto');
    }
  });
});

describe('SentimentClassifier.ensemble', () => {
  it('averages the members probabilities, and saves / loads like one model', async () => {
    await initBackend();
    const a = await trainTiny();
    const b = await trainTiny({ seed: 5 });
    const ens = SentimentClassifier.ensemble([a.clf, b.clf]);
    const texts = ['a good film', 'the plot was boring', 'great'];
    const pa = a.clf.predictBatch(texts);
    const pb = b.clf.predictBatch(texts);
    const pe = ens.predictBatch(texts);
    pe.forEach((p, i) => expect(p.scores.pos as number).toBeCloseTo(((pa[i]?.scores.pos as number) + (pb[i]?.scores.pos as number)) / 2, 5));
    const dir = join(mkdtempSync(join(tmpdir(), 'rnnkit-ens-')), 'm');
    await ens.save(dir);
    const loaded = await SentimentClassifier.load(dir);
    loaded.predictBatch(texts).forEach((p, i) => expect(p.confidence).toBeCloseTo(pe[i]?.confidence as number, 6));
    setKernelMode('composite');
    ens.predictBatch(texts).forEach((p, i) => expect(p.confidence).toBeCloseTo(pe[i]?.confidence as number, 5)); // the tfjs graph (Average layer) agrees
    setKernelMode('auto');
    rmSync(dir, { recursive: true, force: true });
    [a.clf, b.clf, ens, loaded].forEach((c) => c.dispose());
  });

  it('stores identical frozen embeddings once and predicts exactly as the unshared ensemble would', async () => {
    await initBackend();
    const a = await trainTiny({ frozenVectors: true });
    const b = await trainTiny({ frozenVectors: true, seed: 5 });
    const c = await trainTiny({ seed: 7 }); // fine-tuned embeddings: never shared
    const ens = SentimentClassifier.ensemble([a.clf, b.clf]);
    expect(ens.config.sharedEmbedding).toBe(true);
    const embeddingLayers = (m: SentimentClassifier) => (m as unknown as { model: tf.LayersModel }).model.layers.filter((l) => l.name.startsWith('embedding') && l.weights.length > 0).length;
    expect(embeddingLayers(ens)).toBe(1);
    const texts = ['a good film', 'the plot was boring', 'great'];
    const pa = a.clf.predictBatch(texts);
    const pb = b.clf.predictBatch(texts);
    ens.predictBatch(texts).forEach((p, i) => expect(p.scores.pos as number).toBeCloseTo(((pa[i]?.scores.pos as number) + (pb[i]?.scores.pos as number)) / 2, 5));
    const dir = join(tempDir(), 'shared');
    await ens.save(dir);
    const loaded = await SentimentClassifier.load(dir);
    expect(loaded.config.sharedEmbedding).toBe(true);
    loaded.predictBatch(texts).forEach((p, i) => expect(p.scores.pos as number).toBeCloseTo(((pa[i]?.scores.pos as number) + (pb[i]?.scores.pos as number)) / 2, 5));
    setKernelMode('composite');
    loaded.predictBatch(texts).forEach((p, i) => expect(p.scores.pos as number).toBeCloseTo(((pa[i]?.scores.pos as number) + (pb[i]?.scores.pos as number)) / 2, 5));
    setKernelMode('auto');
    const mixed = SentimentClassifier.ensemble([a.clf, c.clf]);
    expect(mixed.config.sharedEmbedding).toBeUndefined();
    expect(embeddingLayers(mixed)).toBe(2);
    [a.clf, b.clf, c.clf, ens, loaded, mixed].forEach((m) => m.dispose());
  });
});

describe('SentimentClassifier.remapVocab', () => {
  it('re-indexes the embedding to another order of the same words without changing predictions', async () => {
    await initBackend();
    const { clf: c } = await trainTiny();
    const before = c.predictBatch(['a good film', 'really awful music']);
    const words = c.vocab.tokens.slice(4);
    const reordered = Vocab.fromTokens([...words].reverse());
    expect(c.remapVocab(reordered)).toBe(0);
    expect(c.vocab.fingerprint).toBe(reordered.fingerprint);
    c.predictBatch(['a good film', 'really awful music']).forEach((p, i) => expect(p.confidence).toBeCloseTo(before[i]?.confidence as number, 6));
    c.dispose();
  });
});
