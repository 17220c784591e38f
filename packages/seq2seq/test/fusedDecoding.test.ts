import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getKernelMode, KernelArena, setKernelMode } from '@rnnkit/core';
import { Translator, type Translation } from '../src/translator';
import { weightsKey } from '../src/decode/fusedWeights';

// The fused decoder (the path of CPU backends) against the composite tfjs decoder (the reference,
// computed here at test time) on the shipped model: the same translations, token for token, greedy and
// beam 5, on cpu and wasm. Scores agree within 1e-4: tfjs-wasm's composite log-softmax sums in float32
// and comes out 3e-6 to 1e-5 per token too high, the fused one sums in float64 (on cpu both are exact to
// ~1e-6 per sentence).
const dir = join(__dirname, '..', 'model');
const describeIfModel = existsSync(join(dir, 'model.json')) ? describe : describe.skip;

const SENTENCES = [
  'I am hungry.',
  'The cat is black.',
  'I think that we should go to the station tomorrow.',
  'Tom wants to know why you did that.',
  'Where is the nearest bank?',
  'She gave him a book yesterday.',
  '', // empty: an empty translation either way
];

function expectSame(fused: Translation[], composite: Translation[]): void {
  expect(fused.map((t) => t.tokens)).toEqual(composite.map((t) => t.tokens));
  fused.forEach((f, i) => {
    const c = composite[i] as Translation;
    expect(f.text).toBe(c.text);
    expect(Math.abs(f.score - c.score)).toBeLessThan(1e-4);
    expect(Math.abs(f.logProb - c.logProb)).toBeLessThan(1e-4);
    f.attention.forEach((row, j) => row.forEach((w, k) => expect(Math.abs(w - (c.attention[j]?.[k] as number))).toBeLessThan(1e-4)));
  });
}

describeIfModel.each(['cpu', 'wasm'])('fused decoding on the shipped model [%s]', (backend) => {
  const mode = getKernelMode();
  let translator: Translator;
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
    translator = await Translator.load(dir);
  });
  afterAll(() => translator.dispose());
  afterEach(() => setKernelMode(mode));

  it.each([1, 5])('beam %i: the same translations as the composite decoder', (beam) => {
    setKernelMode('composite');
    const composite = translator.translate(SENTENCES, { beam });
    setKernelMode('auto');
    const fused = translator.translate(SENTENCES, { beam });
    expect(fused[0]?.text).toBe("J'ai faim.");
    expectSame(fused, composite);
  });

  it('keeps tf.memory().numTensors and the kernel arena memory flat over repeated calls', () => {
    setKernelMode('auto');
    const run = () => {
      translator.translate(SENTENCES.slice(0, 4), { beam: 5, batchSize: 3 });
      translator.translate(SENTENCES, { beam: 1 });
    };
    run();
    const arena = KernelArena.acquire(weightsKey(translator.model.params));
    const bytes = arena.memoryBytes;
    arena.release();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    const again = KernelArena.acquire(weightsKey(translator.model.params));
    expect(again).toBe(arena); // the pooled arena, with the weights still loaded
    expect(again.memoryBytes).toBe(bytes);
    again.release();
  });
});
