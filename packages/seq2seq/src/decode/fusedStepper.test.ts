import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getKernelMode, isRnnkitError, setKernelMode, type RnnkitErrorCode } from '@rnnkit/core';
import { Seq2Seq } from '../model';
import type { Seq2SeqConfig } from '../config';
import { FusedStepper, fusedDecodingAvailable } from './fusedStepper';
import type { Stepper } from './types';
import { beamSearch } from './beamSearch';
import { greedySearch } from './greedy';

// The fused decoder step against the composite tfjs step (the reference), on every decoder the config
// allows: same log-probabilities and attention weights after steps, beam expansion, reordering and
// dropped rows.

const SRC = [[4, 5, 6, 7], [8, 9, 0, 0], [10, 4, 6, 0]]; // 0 = padding
const MASK = SRC.map((r) => r.map((id) => (id === 0 ? 0 : 1)));

function steppers(m: Seq2Seq): { fused: Stepper; composite: Stepper } {
  const src = tf.tensor2d(SRC, [3, 4], 'int32');
  const mask = tf.tensor2d(MASK, [3, 4], 'float32');
  setKernelMode('composite');
  const composite = m.stepper(src, mask);
  setKernelMode('fused');
  const fused = m.stepper(src, mask);
  tf.dispose([src, mask]);
  return { fused, composite };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

function expectCode(fn: () => unknown, code: RnnkitErrorCode): void {
  try {
    fn();
  } catch (e) {
    expect(isRnnkitError(e) && e.code).toBe(code);
    return;
  }
  throw new Error(`expected an RnnkitError ${code}`);
}

const configs: Array<[string, Partial<Seq2SeqConfig>]> = [];
for (const cell of ['gru', 'lstm'] as const) {
  for (const attention of ['general', 'dot', 'concat', 'bahdanau'] as const) {
    for (const inputFeeding of [false, true]) configs.push([`${cell} ${attention}${inputFeeding ? ' input feeding' : ''}`, { cell, attention, inputFeeding }]);
  }
  configs.push([`${cell} tied embeddings`, { cell, attention: 'general', inputFeeding: true, tieEmbeddings: true, embeddingDim: 12 }]);
}

describe.each(['cpu', 'wasm'])('fused decoder step [%s]', (backend) => {
  const mode = getKernelMode();
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
  });
  afterEach(() => setKernelMode(mode));

  it('is the path of CPU backends in auto mode, not in composite mode', () => {
    setKernelMode('auto');
    expect(fusedDecodingAvailable()).toBe(true);
    const m = new Seq2Seq({ srcVocabSize: 11, tgtVocabSize: 13, embeddingDim: 8, hiddenUnits: 12 });
    const { fused, composite } = steppers(m);
    expect(fused).toBeInstanceOf(FusedStepper);
    expect(composite).not.toBeInstanceOf(FusedStepper);
    fused.dispose();
    composite.dispose();
    m.dispose();
  });

  it.each(configs)('%s: same log-probabilities and attention as the composite step within 1e-5', (_, cfg) => {
    const m = new Seq2Seq({ srcVocabSize: 11, tgtVocabSize: 13, embeddingDim: 8, hiddenUnits: 12, seed: 3, ...cfg });
    const before = tf.memory().numTensors;
    const { fused, composite } = steppers(m);
    const check = (tokens: number[]) => {
      const a = composite.step(Int32Array.from(tokens));
      const b = fused.step(Int32Array.from(tokens));
      expect(maxDiff(b.logProbs, a.logProbs)).toBeLessThan(1e-5);
      expect(maxDiff(b.attention, a.attention)).toBeLessThan(1e-5);
    };
    const select = (rows: number[]) => {
      composite.select(Int32Array.from(rows));
      fused.select(Int32Array.from(rows));
      expect(fused.rows).toBe(rows.length);
    };
    check([1, 1, 1]);
    check([5, 6, 7]);
    select([0, 0, 1, 1, 2, 2]); // beam expansion (more rows than the stepper was made for)
    check([3, 4, 5, 6, 7, 8]);
    select([1, 0, 3, 3, 5, 4]); // reordering within sources
    check([9, 10, 11, 12, 2, 3]);
    select([4, 1]); // rows of finished sources dropped
    check([6, 6]);
    check([7, 8]);
    fused.dispose();
    composite.dispose();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it.each([1, 5])('beam %i: the top-k candidates give the same hypotheses as scanning every log-probability', (beam) => {
    setKernelMode('fused');
    const m = new Seq2Seq({ srcVocabSize: 11, tgtVocabSize: 13, embeddingDim: 8, hiddenUnits: 12, seed: 4 });
    const decode = (withTop: boolean) => {
      const src = tf.tensor2d(SRC, [3, 4], 'int32');
      const mask = tf.tensor2d(MASK, [3, 4], 'float32');
      const s = m.stepper(src, mask);
      tf.dispose([src, mask]);
      const scan: Stepper = {
        get rows() {
          return s.rows;
        },
        vocabSize: s.vocabSize, srcLen: s.srcLen, select: (r) => s.select(r), dispose: () => s.dispose(),
        step: (tokens, topK) => {
          const o = s.step(tokens, topK);
          if (topK !== undefined) expect(o.top?.k).toBe(topK);
          return withTop ? o : { logProbs: o.logProbs, attention: o.attention };
        },
      };
      const opts = { bosId: 1, eosId: 2, maxLength: 8, minLength: 2, beamSize: beam, nBest: beam };
      const out = beam > 1 ? beamSearch(scan, opts) : greedySearch(scan, opts);
      s.dispose();
      return out;
    };
    const a = decode(true);
    expect(a).toEqual(decode(false));
    expect(a.flat().length).toBe(3 * beam);
    m.dispose();
  });

  it('rejects wrong token counts, row indices and ids, and use after dispose', () => {
    setKernelMode('fused');
    const m = new Seq2Seq({ srcVocabSize: 11, tgtVocabSize: 13, embeddingDim: 8, hiddenUnits: 12 });
    const src = tf.tensor2d(SRC, [3, 4], 'int32');
    const mask = tf.ones([3, 4]) as tf.Tensor2D;
    const s = m.stepper(src, mask);
    expectCode(() => s.step(new Int32Array(2)), 'INVALID_SHAPE');
    expectCode(() => s.step(Int32Array.from([1, 13, 1])), 'INVALID_ARGUMENT');
    expectCode(() => s.select(Int32Array.from([0, 3])), 'INVALID_ARGUMENT');
    s.dispose();
    expectCode(() => s.step(new Int32Array(3)), 'INVALID_STATE');
    tf.dispose([src, mask]);
    m.dispose();
  });
});
