// The honest hold-out of scripts/sst2Data.ts on a tiny fixture: text found only inside held-out sentences
// never reaches training, phrases that kept sentences share do, and dev sentences are never trained on.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, shuffle } from '@rnnkit/text';
import { loadSst2Split } from '../scripts/sst2Data';

describe('loadSst2Split', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rnnkit-sst2-'));
    mkdirSync(join(dir, 'sst2'));
    mkdirSync(join(dir, 'sst2-glue'));
    const sentences = Array.from({ length: 20 }, (_, i) => `${i % 2} the film number w${i} was ${i % 2 ? 'good' : 'bad'} indeed`);
    writeFileSync(join(dir, 'sst2/stsa.binary.train'), `${sentences.join('\n')}\n`);
    writeFileSync(join(dir, 'sst2/stsa.binary.dev'), '1 a dev sentence that is good\n');
    const phrases = ['good\t1', 'bad\t0', 'the film\t1', 'a dev sentence that is good\t1', ...Array.from({ length: 20 }, (_, i) => `number w${i} was\t${i % 2}`)];
    writeFileSync(join(dir, 'sst2-glue/train.tsv'), `sentence\tlabel\n${phrases.join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drops only the phrases that the held-out sentences alone contain', async () => {
    const s = await loadSst2Split(dir, { holdout: 0.2, seed: 3, negation: false });
    expect(s.holdout).toHaveLength(4);
    const trained = new Set(s.train.map((e) => e.text.trim()));
    for (const h of s.holdout) {
      expect(trained.has(h.text.trim())).toBe(false);
      const w = /number (w\d+) was/.exec(h.text)?.[1] as string;
      expect(trained.has(`number ${w} was`)).toBe(false); // only the held-out sentence has this span
    }
    for (const shared of ['good', 'bad', 'the film']) expect(trained.has(shared)).toBe(true); // kept sentences have them too
    expect(s.stats.droppedPhrases).toBe(4);
    expect(trained.has('a dev sentence that is good')).toBe(false);
    expect(s.stats.removedDev).toBe(1);
  });

  it('draws a fresh test split disjoint from the hold-out, keeps it out of training, and can train on dev', async () => {
    const before = await loadSst2Split(dir, { holdout: 0.2, seed: 3, negation: false });
    const s = await loadSst2Split(dir, { holdout: 0.2, seed: 3, negation: false, test: 0.25, testSeed: 5, devToTrain: true });
    expect(s.test).toHaveLength(5);
    expect(s.holdout).toHaveLength(4);
    const testTexts = new Set(s.test.map((e) => e.text));
    expect(s.holdout.some((e) => testTexts.has(e.text))).toBe(false);
    const trained = new Set(s.train.map((e) => e.text.trim()));
    for (const h of [...s.test, ...s.holdout]) {
      expect(trained.has(h.text.trim())).toBe(false);
      const w = /number (w\d+) was/.exec(h.text)?.[1] as string;
      expect(trained.has(`number ${w} was`)).toBe(false);
    }
    expect(s.stats.droppedPhrases).toBe(9);
    expect(trained.has('a dev sentence that is good')).toBe(true);
    expect(s.stats).toMatchObject({ testSentences: 5, devSentencesTrained: 1, removedDev: 0 });
    // Without a test split the hold-out is the one drawn before the option existed (the shipped model's).
    expect(before.test).toHaveLength(0);
    const sentences = readFileSync(join(dir, 'sst2/stsa.binary.train'), 'utf8').trim().split('\n').map((l) => l.slice(2));
    const drawn = new Set(shuffle(sentences.map((_, i) => i), createRng(3)).slice(0, 4));
    expect(before.holdout.map((e) => e.text)).toEqual(sentences.filter((_, i) => drawn.has(i)));
  });

  it('adds negated one-word phrases with the opposite label', async () => {
    const s = await loadSst2Split(dir, { holdout: 0.2, seed: 3, negation: true });
    const byText = new Map(s.train.map((e) => [e.text, e.label]));
    expect(byText.get('not good')).toBe('negative');
    expect(byText.get("is n't bad")).toBe('positive');
  });
});
