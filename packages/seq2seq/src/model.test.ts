import * as tf from '@tensorflow/tfjs';
import { Vocab } from '@rnnkit/text';
import { Seq2Seq } from './model';
import { resolveConfig, SEQ2SEQ_DEFAULTS, type AttentionType, type Seq2SeqConfig } from './config';
import { encode } from './encoder';
import { prepareKeys } from './attention';
import { decoderStep, initialDecoderState, teacherForce } from './decoder';
import { paramShapes } from './params';
import { makeBatch } from './train';
import { replaceUnknown } from './translator';
import { TOY, reverseTask } from '../test/toy';
import { codeOf } from '../test/errors';

const base: Seq2SeqConfig = { srcVocabSize: 14, tgtVocabSize: 14, embeddingDim: 8, hiddenUnits: 12, seed: 4 };

describe('config', () => {
  it('pins the defaults', () => {
    expect(SEQ2SEQ_DEFAULTS).toEqual({ embeddingDim: 128, hiddenUnits: 256, encoderLayers: 1, cell: 'gru', attention: 'general', inputFeeding: true, tieEmbeddings: false, dropout: 0, seed: 0 });
  });
  it('rejects bad values with INVALID_ARGUMENT', () => {
    expect(codeOf(() => resolveConfig({ ...base, hiddenUnits: 11 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => resolveConfig({ ...base, tieEmbeddings: true }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => resolveConfig({ ...base, attention: 'cosine' as AttentionType }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => resolveConfig({ ...base, srcVocabSize: 0 }))).toBe('INVALID_ARGUMENT');
  });
  it('getConfig round-trips through the constructor', () => {
    const m = new Seq2Seq({ ...base, cell: 'lstm', encoderLayers: 2, attention: 'concat' });
    const m2 = new Seq2Seq(m.getConfig());
    expect(m2.getConfig()).toEqual(m.getConfig());
    expect(m2.variables.map((v) => v.shape)).toEqual(m.variables.map((v) => v.shape));
    expect(m.countParams()).toBe(paramShapes(m.config).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0));
    m.dispose();
    m2.dispose();
  });
  it('tied embeddings share the target embedding as output projection', () => {
    const m = new Seq2Seq({ ...base, embeddingDim: 12, tieEmbeddings: true });
    expect(paramShapes(m.config).map(([n]) => n)).not.toContain('out_kernel');
    const data = reverseTask(4, 1);
    const b = makeBatch(data, [0, 1, 2, 3], TOY);
    expect(Number.isFinite(m.loss(b).dataSync()[0])).toBe(true);
    tf.dispose(Object.values(b));
    m.dispose();
  });
});

describe('decoder', () => {
  it.each(['dot', 'general', 'concat'] as const)('vectorized teacher forcing equals step-by-step decoding (%s, no input feeding)', (attention) => {
    const m = new Seq2Seq({ ...base, attention, inputFeeding: false, encoderLayers: 2 });
    const data = reverseTask(5, 2);
    const b = makeBatch(data, [0, 1, 2, 3, 4], TOY);
    tf.tidy(() => {
      const enc = encode(m.config, m.params, b.src, b.srcMask);
      const keys = prepareKeys(attention, m.params, enc.memory, enc.mask);
      const vec = teacherForce(m.config, m.params, keys, enc.state, b.tgtIn);
      let state = initialDecoderState(m.config, enc.state);
      const cols = tf.unstack(tf.transpose(b.tgtIn)) as tf.Tensor1D[];
      cols.forEach((y, t) => {
        const o = decoderStep(m.config, m.params, keys, y, state);
        const ref = tf.squeeze(tf.slice(vec.attnVecs, [0, t, 0], [-1, 1, -1]), [1]);
        expect(tf.max(tf.abs(tf.sub(o.attnVec, ref))).dataSync()[0]).toBeLessThan(1e-5);
        state = o.state;
      });
    });
    tf.dispose(Object.values(b));
    m.dispose();
  });

  it.each(['bahdanau', 'dot', 'general', 'concat'] as const)('gives padded source positions zero attention and ignores extra padding (%s)', (attention) => {
    const m = new Seq2Seq({ ...base, attention, cell: 'lstm' });
    const data = [{ src: [5, 6], tgt: [6, 5] }, { src: [4, 5, 6, 7, 8, 9], tgt: [9, 8, 7, 6, 5, 4] }];
    const b = makeBatch(data, [0, 1], TOY);
    const alone = makeBatch(data, [0], TOY);
    tf.tidy(() => {
      const enc = encode(m.config, m.params, b.src, b.srcMask);
      const keys = prepareKeys(attention, m.params, enc.memory, enc.mask);
      const { weights } = teacherForce(m.config, m.params, keys, enc.state, b.tgtIn); // [2, T, 6]
      const padded = tf.slice(weights, [0, 0, 2], [1, -1, -1]);
      expect(tf.max(padded).dataSync()[0]).toBeLessThan(1e-6);
      // the short sentence's loss alone equals its loss inside a padded batch
      const lossAlone = m.loss(alone).dataSync()[0] as number;
      const encA = encode(m.config, m.params, alone.src, alone.srcMask);
      expect(tf.max(tf.abs(tf.sub(tf.slice(enc.memory, [0, 0, 0], [1, 2, -1]), encA.memory))).dataSync()[0]).toBeLessThan(1e-5);
      expect(Number.isFinite(lossAlone)).toBe(true);
    });
    tf.dispose([...Object.values(b), ...Object.values(alone)]);
    m.dispose();
  });
});

describe('translation', () => {
  it('replaces <unk> with the most attended source unit', () => {
    const vocab = Vocab.fromTokens(['le', 'chat']);
    const out = replaceUnknown([4, vocab.unkId, 5], [[1, 0, 0], [0.1, 0.2, 0.7], [0, 1, 0]], ['the', 'black', 'Felix'], vocab);
    expect(out).toEqual(['le', 'Felix', 'chat']);
  });

  it('does not leak tensors across greedy and beam decoding', () => {
    const m = new Seq2Seq({ ...base, attention: 'bahdanau' });
    const data = reverseTask(6, 3);
    const b = makeBatch(data, data.map((_, i) => i), TOY);
    const run = () => {
      const s = m.stepper(b.src, b.srcMask);
      s.step(new Int32Array(6).fill(TOY.bosId));
      s.select(Int32Array.from([0, 0, 1, 2, 3, 4, 5, 5]));
      s.step(new Int32Array(8).fill(5));
      s.dispose();
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(b));
    m.dispose();
  });
});
