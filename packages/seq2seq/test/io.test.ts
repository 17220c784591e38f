import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vocab } from '@rnnkit/text';
import { Translator } from '../src/translator';
import { Seq2Seq } from '../src/model';
import { trainSeq2Seq } from '../src/train';
import { DIGITS, tinyTranslator } from './tinyModel';
import { TOY, reverseTask } from './toy';
import { codeOfAsync } from './errors';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rnnkit-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('save and load', () => {
  it('round-trips config, vocabularies and weights (same translations and scores)', async () => {
    const t = await tinyTranslator(10);
    const out = join(dir, 'm1');
    await t.save(out);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]); // no temporary folder left
    const l = await Translator.load(out);
    expect(l.model.getConfig()).toEqual(t.model.getConfig());
    const a = t.translate(['1 2 3', '9 8'], { beam: 2 });
    const b = l.translate(['1 2 3', '9 8'], { beam: 2 });
    expect(b.map((x) => x.text)).toEqual(a.map((x) => x.text));
    b.forEach((x, i) => expect(x.score).toBeCloseTo(a[i]?.score as number, 5));
    t.model.dispose();
    l.model.dispose();
  });

  it('saves float16 weights at half the size; they load to within float16 rounding of the originals', async () => {
    const t = await tinyTranslator(10);
    const full = join(dir, 'f32');
    const half = join(dir, 'f16');
    await t.save(full);
    await t.save(half, { quantization: 'float16' });
    const bytes = (d: string) => readFileSync(join(d, 'weights.bin')).byteLength;
    expect(bytes(half)).toBe(bytes(full) / 2);
    const l = await Translator.load(half);
    const before = tf.memory().numTensors;
    const a = t.model.variables.map((v) => v.dataSync());
    l.model.variables.forEach((v, i) => {
      const orig = a[i] as Float32Array;
      v.dataSync().forEach((x, j) => expect(Math.abs(x - (orig[j] as number))).toBeLessThanOrEqual(Math.abs(orig[j] as number) * 1e-3 + 1e-7));
    });
    expect(tf.memory().numTensors).toBe(before);
    t.model.dispose();
    l.model.dispose();
  });

  it('overwrites an existing model folder in place', async () => {
    const t = await tinyTranslator(1);
    const out = join(dir, 'm2');
    await t.save(out);
    await t.save(out);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'src_vocab.json', 'tgt_vocab.json', 'weights.bin']);
    t.model.dispose();
  });

  it('refuses a vocabulary whose fingerprint differs from the recorded one (MISMATCH)', async () => {
    const t = await tinyTranslator(1);
    const out = join(dir, 'm3');
    await t.save(out);
    writeFileSync(join(out, 'tgt_vocab.json'), JSON.stringify(Vocab.fromTokens([...DIGITS].reverse()).toJSON()));
    expect(await codeOfAsync(Translator.load(out))).toBe('MISMATCH');
    t.model.dispose();
  });

  it('refuses a folder without a model, a corrupt model.json and truncated weights (INVALID_MODEL)', async () => {
    expect(await codeOfAsync(Translator.load(join(dir, 'nothing')))).toBe('INVALID_MODEL');
    const t = await tinyTranslator(1);
    const out = join(dir, 'm4');
    await t.save(out);
    const weights = readFileSync(join(out, 'weights.bin'));
    writeFileSync(join(out, 'weights.bin'), weights.subarray(0, 100));
    expect(await codeOfAsync(Translator.load(out))).toBe('INVALID_MODEL');
    writeFileSync(join(out, 'model.json'), '{not json');
    expect(await codeOfAsync(Translator.load(out))).toBe('INVALID_MODEL');
    t.model.dispose();
  });
});

describe('hostile model folders (issue 16)', () => {
  it('a manifest naming ../outside-weights.bin is UNSAFE_PATH; NaN weights are INVALID_MODEL', async () => {
    const t = await tinyTranslator(1);
    const out = join(dir, 'hostile');
    await t.save(out);
    t.model.dispose();
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    writeFileSync(join(dir, 'outside-weights.bin'), readFileSync(join(out, 'weights.bin')));
    json.weightsManifest[0].paths = ['../outside-weights.bin'];
    writeFileSync(join(out, 'model.json'), JSON.stringify(json));
    expect(await codeOfAsync(Translator.load(out))).toBe('UNSAFE_PATH');
    json.weightsManifest[0].paths = ['weights.bin'];
    writeFileSync(join(out, 'model.json'), JSON.stringify(json));
    const b = readFileSync(join(out, 'weights.bin'));
    b.writeFloatLE(Number.POSITIVE_INFINITY, 4);
    writeFileSync(join(out, 'weights.bin'), b);
    const before = tf.memory().numTensors;
    expect(await codeOfAsync(Translator.load(out))).toBe('INVALID_MODEL');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('checkpoints', () => {
  it('a run interrupted after 3 steps and resumed equals an uninterrupted 6-step run', async () => {
    const data = reverseTask(96, 5);
    const cfg = { srcVocabSize: 14, tgtVocabSize: 14, embeddingDim: 8, hiddenUnits: 16, seed: 2, inputFeeding: false } as const;
    const opts = { ...TOY, batchSize: 16, epochs: 1, seed: 3, learningRate: 0.01 };
    const straight = new Seq2Seq(cfg);
    await trainSeq2Seq(straight, data, { ...opts, maxSteps: 6 });
    const ck = join(dir, 'ck');
    const first = new Seq2Seq(cfg);
    await trainSeq2Seq(first, data, { ...opts, maxSteps: 3, checkpointDir: ck, checkpointEvery: 1 });
    first.dispose();
    const resumed = new Seq2Seq(cfg); // fresh weights: everything must come from the checkpoint
    const r = await trainSeq2Seq(resumed, data, { ...opts, maxSteps: 6, checkpointDir: ck, checkpointEvery: 1 });
    expect(r.steps).toBe(6);
    straight.variables.forEach((v, i) => {
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(v, resumed.variables[i] as tf.Variable))).dataSync()[0] as number);
      expect(d).toBeLessThan(1e-5);
    });
    straight.dispose();
    resumed.dispose();
  });
});
