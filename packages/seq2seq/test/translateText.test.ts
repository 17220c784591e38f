// Translator input contract on a tiny digit-reversal model: INVALID_ARGUMENT, the empty result,
// sentence splitting and re-joining with the source's separators, one pooled batch for all texts,
// bounded work with `truncated`, coverage flags, the load-time output probe and no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { learnBpe } from '@rnnkit/text';
import { Seq2Seq } from '../src/model';
import { paramShapes } from '../src/params';
import { assertFiniteOutputs } from '../src/probe';
import { decodeLength, MAX_DECODE_LENGTH, MAX_SENTENCE_LENGTH, MAX_SENTENCES, MAX_TEXT_LENGTH, readPiece, splitLongSentence } from '../src/sourceText';
import { Translator } from '../src/translator';
import { codeOf, codeOfAsync } from './errors';
import { tinyTranslator } from './tinyModel';

let t: Translator;
let dir: string;
beforeAll(async () => {
  t = await tinyTranslator(20);
  dir = mkdtempSync(join(tmpdir(), 'rnnkit-contract-'));
});
afterAll(() => {
  t.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const greedy = { beamSize: 1, minLength: 1 }; // at least one output unit per sentence, even from the tiny model

describe('translate: input contract', () => {
  it('refuses what is not an array of strings, and bad options, with INVALID_ARGUMENT', () => {
    for (const bad of ['1 2', 42, null, [42], ['1', null], [{}]]) expect(codeOf(() => t.translate(bad as unknown as string[]))).toBe('INVALID_ARGUMENT');
    expect(() => t.translate([42] as unknown as string[])).toThrow('Expected texts[0] to be a string. Received: number 42');
    for (const o of [{ beamSize: 0 }, { beamSize: 2.5 }, { batchSize: -3 }, { maxLength: -1 }, { alpha: Number.NaN }]) expect(codeOf(() => t.translate(['1'], o))).toBe('INVALID_ARGUMENT');
  });

  it('takes the length penalty by name: an unknown one is INVALID_ARGUMENT, gnmt with alpha 0 ranks as none', () => {
    expect(codeOf(() => t.translate(['1'], { lengthPenalty: 'wu' as 'gnmt' }))).toBe('INVALID_ARGUMENT');
    const texts = ['1 2 3', '4 5'];
    const none = t.translate(texts, { beamSize: 3, lengthPenalty: 'none' });
    expect(t.translate(texts, { beamSize: 3, alpha: 0 })).toEqual(none);
    for (const r of t.translate(texts, { beamSize: 3, lengthPenalty: 'average' })) expect(r.score).toBeCloseTo(r.logProb / Math.max(r.tokens.length + 1, 1), 4);
  });

  it('gives empty and whitespace-only texts the empty result without a model call', () => {
    const stepper = jest.spyOn(t.model, 'stepper');
    const out = t.translate(['', ' \n\t']);
    expect(stepper).not.toHaveBeenCalled();
    stepper.mockRestore();
    for (const r of out) expect(r).toEqual({ text: '', srcTokens: [], tokens: [], logProb: 0, score: 0, attention: [], coverage: 0, lowCoverage: false, empty: true, truncated: false });
  });

  it('splits into sentences, decodes all texts in one batch and re-joins with the source separators', () => {
    const s = ['1 2 3.', '4 5 6!', '7 8'];
    const alone = s.map((x) => (t.translate([x], greedy)[0]?.text ?? ''));
    expect(alone.every((x) => x.length > 0)).toBe(true);
    const stepper = jest.spyOn(t.model, 'stepper');
    const [a, b, c] = t.translate([`${s[0]} ${s[1]}\n\n${s[2]}`, '', `  ${s[2]}  `], greedy);
    expect(stepper).toHaveBeenCalledTimes(1);
    expect(stepper.mock.calls[0]?.[0].shape[0]).toBe(4); // 3 + 1 sentences, one batch
    stepper.mockRestore();
    expect(a?.text).toBe(`${alone[0]} ${alone[1]}\n\n${alone[2]}`);
    expect(b?.empty).toBe(true);
    expect(c?.text).toBe(alone[2]);
    // units and attention cover all sentences: one row per output unit over all source units, block-diagonal
    expect(a?.attention).toHaveLength(a?.tokens.length as number);
    for (const row of a?.attention ?? []) {
      expect(row).toHaveLength(a?.srcTokens.length as number);
      expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 4);
    }
  });

  it('defaults to beam 5 (beamSize), keeps `beam` as an alias', () => {
    const text = ['1 2 3 4'];
    const dflt = t.translate(text)[0];
    expect(dflt?.score).toBeCloseTo(t.translate(text, { beamSize: 5 })[0]?.score as number, 6);
    expect(t.translate(text, { beam: 5 })[0]?.score).toBeCloseTo(dflt?.score as number, 6);
  });

  it('caps decoding length from the source length', () => {
    expect(decodeLength(3)).toBe(16);
    expect(decodeLength(10_000)).toBe(MAX_DECODE_LENGTH);
    for (const r of t.translate(['1 2', '3 4 5 6 7 8'], greedy)) expect(r.tokens.length).toBeLessThanOrEqual(decodeLength(r.srcTokens.length));
  });

  it('bounds the work on long text and says truncated', () => {
    const stepper = jest.spyOn(t.model, 'stepper');
    const many = '1 2. '.repeat(Math.ceil((2 * MAX_TEXT_LENGTH) / 5)); // over the length and sentence limits
    const [r] = t.translate([many], greedy);
    const rows = stepper.mock.calls.reduce((n, [src]) => n + src.shape[0], 0);
    const longest = Math.max(...stepper.mock.calls.map(([src]) => src.shape[1]));
    stepper.mockRestore();
    expect(r?.truncated).toBe(true);
    expect(rows).toBe(MAX_SENTENCES);
    expect(longest).toBeLessThanOrEqual(3);
    // a run-on sentence is cut into pieces, nothing lost: not truncated
    const runOn = '1 2 3 4 '.repeat(Math.ceil((3 * MAX_SENTENCE_LENGTH) / 8)).trim();
    const [p] = t.translate([runOn], greedy);
    expect(p?.truncated).toBe(false);
    expect(p?.srcTokens).toHaveLength(runOn.split(' ').length);
    expect(splitLongSentence(runOn).every((x) => x.length <= MAX_SENTENCE_LENGTH)).toBe(true);
    expect(splitLongSentence(runOn).join(' ')).toBe(runOn);
    expect(splitLongSentence('a'.repeat(900)).map((x) => x.length)).toEqual([400, 400, 100]);
  });

  it('reports coverage and marks unknown words and other scripts lowCoverage', () => {
    const [digits, han, ru, ar, half] = t.translate(['1 2 3', '我爱你', 'Привет, как дела?', 'أنا أحب هذا', '1 2 x y'], greedy);
    expect(digits).toMatchObject({ coverage: 1, lowCoverage: false });
    for (const r of [han, ru, ar]) expect(r).toMatchObject({ coverage: 0, lowCoverage: true });
    expect(half?.coverage).toBe(0); // only the letter words count when there are any: x and y are unknown
  });

  it('counts BPE words as known only when their subwords are in the vocabulary and not single characters', () => {
    const bpe = learnBpe(['the cat sat on the mat', 'the cat ate the rat', 'a cat and a hat'], { numMerges: 40, minFrequency: 1 });
    const vocab = bpe.toVocab();
    const known = readPiece('the cat sat', vocab, bpe);
    expect(known).toMatchObject({ words: 3, knownWords: 3, truncated: false });
    expect(readPiece('tac', vocab, bpe).knownWords).toBe(0); // spelled out in single characters
    expect(readPiece('привет', vocab, bpe).knownWords).toBe(0);
    expect(readPiece('a cat', vocab, bpe).knownWords).toBe(2); // a one-letter word is fine
    expect(bpe.encodeWord('ta')).toEqual(['t', 'a</w>']);
    expect(readPiece('ta', vocab, bpe).knownWords).toBe(1); // a two-letter word spelled out ("Hi", "OK") is fine
    expect(readPiece('12 .', vocab, bpe).words).toBe(2); // no letters at all: every word counts
  });

  it('leaks no tensors', () => {
    t.translate(['1 2 3. 4 5'], greedy);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) t.translate(['1 2 3. 4 5!\n6', '', '我爱你', '9 '.repeat(300)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('load-time output probe', () => {
  it('passes a finite model and refuses one with NaN weights (INVALID_MODEL), leaking nothing', async () => {
    expect(() => assertFiniteOutputs(t.model, 2)).not.toThrow();
    const config = t.model.getConfig();
    const values = new Map(paramShapes(t.model.config).map(([name, shape]) => [name, tf.fill(shape, Number.NaN)]));
    const broken = new Seq2Seq(config, values);
    tf.dispose([...values.values()]);
    const before = tf.memory().numTensors;
    expect(codeOf(() => assertFiniteOutputs(broken, 2))).toBe('INVALID_MODEL');
    expect(tf.memory().numTensors).toBe(before);
    // saved and loaded again: refused at load, nothing left behind
    const bad = new Translator(broken, t.artifacts);
    await bad.save(join(dir, 'nan'));
    broken.dispose();
    const n = tf.memory().numTensors;
    expect(await codeOfAsync(Translator.load(join(dir, 'nan')))).toBe('INVALID_MODEL');
    expect(tf.memory().numTensors).toBe(n);
  });
});
