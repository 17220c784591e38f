// The library input contract: INVALID_ARGUMENT for non-strings, the empty result, bounded length with
// `truncated`, coverage flags, the load-time probe that refuses non-finite models, and no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, isRnnkitError } from '@rnnkit/core';
import { assertFiniteOutputs, MAX_TEXT_LENGTH, SentimentClassifier } from '../src/index';
import { trainTiny } from './helpers';

let clf: SentimentClassifier;
const dirs: string[] = [];

beforeAll(async () => {
  await initBackend();
  ({ clf } = await trainTiny());
});

afterAll(() => {
  clf?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRnnkitError(e) ? e.code : `OTHER: ${String(e)}`;
  }
  return undefined;
}

describe('input contract', () => {
  it('refuses non-string input with INVALID_ARGUMENT naming what was received', () => {
    for (const bad of [42, null, undefined, {}, ['a']]) {
      expect(codeOf(() => clf.predict(bad as unknown as string))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => clf.explain(bad as unknown as string))).toBe('INVALID_ARGUMENT');
    }
    expect(codeOf(() => clf.predictBatch(['ok', 42] as unknown as string[]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => clf.predictBatch('ok' as unknown as string[]))).toBe('INVALID_ARGUMENT');
    expect(() => clf.predict(42 as unknown as string)).toThrow('Expected text to be a string. Received: number 42');
  });

  it('gives empty and whitespace-only text the neutral empty result without a model call', () => {
    const forward = jest.spyOn(clf, 'forward');
    const [a, b] = clf.predictBatch(['', ' \n\t ']);
    expect(forward).not.toHaveBeenCalled();
    forward.mockRestore();
    for (const p of [a, b]) {
      expect(p).toMatchObject({ label: '', confidence: 0, empty: true, lowCoverage: false, truncated: false, coverage: 0 });
      expect(Object.values(p?.scores ?? {})).toEqual([0.5, 0.5]);
    }
    expect(clf.explain('   ')).toMatchObject({ empty: true, tokens: [] });
    const mixed = clf.predictBatch(['a good movie', '', 'a bad movie']);
    expect(mixed.map((p) => p.empty)).toEqual([false, true, false]);
    expect(mixed[0]?.label).toBe(clf.predict('a good movie').label);
    expect(mixed[2]?.confidence).toBeCloseTo(clf.predict('a bad movie').confidence, 6);
  });

  it('reports coverage and marks unknown text and other scripts lowCoverage', () => {
    const known = clf.predict('a good movie');
    expect(known).toMatchObject({ coverage: 1, lowCoverage: false, empty: false, truncated: false });
    const half = clf.predict('good movie zzqx wwpq');
    expect(half.coverage).toBeCloseTo(0.5);
    expect(half.lowCoverage).toBe(false);
    for (const t of ['我爱你', 'أنا أحب هذا الفيلم', 'Мне очень понравился этот фильм', 'zzqx wwpq good']) {
      const p = clf.predict(t);
      expect(p.lowCoverage).toBe(true);
      expect(p.coverage).toBeLessThan(0.5);
    }
    expect(clf.explain('a good zzqx').coverage).toBeCloseTo(2 / 3);
  });

  it('bounds the work on long text and says truncated', () => {
    const tokenize = jest.spyOn(clf.preprocessor, 'tokenize');
    const long = 'a good movie '.repeat(Math.ceil((3 * MAX_TEXT_LENGTH) / 13));
    const p = clf.predict(long);
    expect(p.truncated).toBe(true);
    expect(p.empty).toBe(false);
    expect(tokenize.mock.calls.every(([t]) => t.length <= MAX_TEXT_LENGTH)).toBe(true);
    tokenize.mockRestore();
    // over the network's token limit but under the character limit: also truncated
    const overTokens = 'good '.repeat(clf.preprocessor.config.maxLength + 5);
    expect(overTokens.length).toBeLessThan(MAX_TEXT_LENGTH);
    expect(clf.predict(overTokens).truncated).toBe(true);
    const e = clf.explain(long);
    expect(e.truncated).toBe(true);
    expect(e.tokens.length).toBeLessThanOrEqual(clf.preprocessor.config.maxLength);
  });

  it('leaks no tensors', () => {
    clf.predictBatch(['warm up']);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      clf.predictBatch(['a good movie', '', '我爱你', 'x'.repeat(MAX_TEXT_LENGTH + 10)]);
      clf.explain('a bad film');
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('non-finite models', () => {
  it('the probe passes a finite model and refuses one with NaN weights (INVALID_MODEL), leaking nothing', async () => {
    expect(() => assertFiniteOutputs(clf)).not.toThrow();
    const { clf: broken } = await trainTiny({ seed: 5 });
    const dense = broken.layersModel.layers.filter((l) => l.getClassName() === 'Dense').at(-1);
    expect(dense).toBeDefined();
    const nan = dense?.getWeights().map((w) => tf.fill(w.shape, NaN)) ?? [];
    dense?.setWeights(nan);
    tf.dispose(nan);
    const before = tf.memory().numTensors;
    expect(codeOf(() => assertFiniteOutputs(broken))).toBe('INVALID_MODEL');
    expect(tf.memory().numTensors).toBe(before);
    // the same model saved and loaded again is refused at load
    const dir = mkdtempSync(join(tmpdir(), 'rnnkit-nan-'));
    dirs.push(dir);
    await broken.save(join(dir, 'm'));
    broken.dispose();
    const n = tf.memory().numTensors;
    await expect(SentimentClassifier.load(join(dir, 'm'))).rejects.toMatchObject({ code: 'INVALID_MODEL' });
    expect(tf.memory().numTensors).toBe(n);
  });
});
