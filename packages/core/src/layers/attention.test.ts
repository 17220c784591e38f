// Attention / AdditiveAttention against the numpy reference (test/reference/attention_ref.py), plus
// config round trips, weights, masks through a model, dropout, errors and leaks.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Attention, attention, attentionScores, BaseDenseAttention } from './attention';
import { AdditiveAttention, additiveAttention } from './additiveAttention';
import { describeBackends, expectClose, expectNoLeak } from '../../test/util/backends';
import { expectCode } from '../../test/util/errors';

type Nested = number | Nested[];
interface GoldenCase {
  name: string;
  layer: 'Attention' | 'AdditiveAttention';
  config: { useScale: boolean; scoreMode?: 'dot' | 'concat' };
  weights: Nested[];
  inputs: Nested[];
  masks: Array<Nested | null> | null;
  causal: boolean;
  output: Nested;
  scores: Nested;
}

const GOLDEN = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/keras/attention_golden.json'), 'utf8')) as GoldenCase[];

function makeLayer(c: GoldenCase, extra: Record<string, unknown> = {}): BaseDenseAttention {
  const args = { ...c.config, useCausalMask: c.causal, returnAttentionScores: true, ...extra };
  return c.layer === 'Attention' ? new Attention(args) : new AdditiveAttention(args);
}

function run(c: GoldenCase, layer: BaseDenseAttention): tf.Tensor[] {
  const inputs = c.inputs.map((x) => tf.tensor(x as number[]));
  const masks = c.masks?.map((m) => (m === null ? null : tf.tensor(m as number[], undefined, 'bool')));
  if (!layer.built) layer.build(inputs.map((x) => x.shape));
  if (c.weights.length > 0 || layer.weights.length > 0) {
    const ws = c.weights.map((w) => tf.tensor(w as number[]));
    layer.setWeights(ws);
    tf.dispose(ws);
  }
  const out = layer.apply(inputs, masks ? { mask: masks } : {}) as tf.Tensor[];
  tf.dispose([...inputs, ...(masks ?? []).filter((m): m is tf.Tensor => m !== null)]);
  return out;
}

/** Frees a layer's variables (tfjs's Layer.dispose refuses layers never applied symbolically). */
function disposeLayer(layer: tf.layers.Layer): void {
  layer.weights.forEach((w) => w.dispose());
}


describeBackends('Attention layers vs numpy reference', () => {
  for (const c of GOLDEN) {
    it(`${c.layer} ${c.name}: output and attention scores to 1e-5`, () => {
      const layer = makeLayer(c);
      const [out, scores] = run(c, layer);
      expectClose(out as tf.Tensor, c.output);
      expectClose(scores as tf.Tensor, c.scores);
      tf.dispose([out, scores]);
      disposeLayer(layer);
    });
  }

  it('attentionScores (pure) equals the layer scores before softmax for dot and concat', () => {
    const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const k = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 2);
    const dot = attentionScores(q, k, { scale: 2 });
    const manual = tf.mul(tf.matMul(q, k, false, true), 2);
    expectClose(dot, manual);
    const masked = attentionScores(q, k, { mask: tf.tensor2d([[1, 1, 1, 1, 0], [1, 0, 0, 0, 0]], undefined, 'bool') });
    expect(masked.arraySync()[1]![0]![1]).toBeLessThan(-1e8);
    tf.dispose([q, k, dot, manual, masked]);
  });

  it('does not leak tensors', async () => {
    const c = GOLDEN.find((g) => g.masks !== null) as GoldenCase;
    const layer = makeLayer(c);
    run(c, layer).forEach((t) => t.dispose());
    await expectNoLeak(() => run(c, layer));
    disposeLayer(layer);
  });
});

describe('Attention layers: config, weights, model use, errors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('getConfig round-trips through the constructor', () => {
    const a = attention({ useScale: true, scoreMode: 'concat', dropout: 0.1, useCausalMask: true, name: 'att' });
    expect(new Attention(a.getConfig() as never).getConfig()).toEqual(a.getConfig());
    const b = additiveAttention({ useScale: false, returnAttentionScores: true, name: 'add' });
    expect(new AdditiveAttention(b.getConfig() as never).getConfig()).toEqual(b.getConfig());
    expect(new Attention({ causal: true }).useCausalMask).toBe(true); // Keras 2's name
  });

  it('creates Keras weights in Keras order', () => {
    const a = new Attention({ useScale: true, scoreMode: 'concat' });
    a.build([[null, 3, 4], [null, 5, 4]]);
    expect(a.weights.map((w) => w.originalName.split('/').pop())).toEqual(['scale', 'concat_score_weight']);
    expect(a.weights.map((w) => w.shape)).toEqual([[], []]);
    const b = new AdditiveAttention({ useScale: true });
    b.build([[null, 3, 4], [null, 5, 4]]);
    expect(b.weights.map((w) => [w.originalName.split('/').pop(), w.shape])).toEqual([['scale', [4]]]);
    disposeLayer(a);
    disposeLayer(b);
  });

  it('works in tf.model with masks from Embedding layers and returns scores as a second output', () => {
    const qIn = tf.input({ shape: [3], dtype: 'int32' });
    const vIn = tf.input({ shape: [4], dtype: 'int32' });
    const q = tf.layers.embedding({ inputDim: 6, outputDim: 2, maskZero: true }).apply(qIn) as tf.SymbolicTensor;
    const v = tf.layers.embedding({ inputDim: 6, outputDim: 2, maskZero: true }).apply(vIn) as tf.SymbolicTensor;
    const outs = new Attention({ returnAttentionScores: true }).apply([q, v]) as tf.SymbolicTensor[];
    expect(outs.map((o) => o.shape)).toEqual([[null, 3, 2], [null, 3, 4]]);
    const model = tf.model({ inputs: [qIn, vIn], outputs: outs });
    const [ctx, w] = model.predict([tf.tensor2d([[1, 2, 0]], undefined, 'int32'), tf.tensor2d([[3, 0, 0, 0]], undefined, 'int32')]) as tf.Tensor[];
    expect(ctx!.shape).toEqual([1, 3, 2]);
    expect(Array.from(w!.dataSync()).slice(0, 4).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
    tf.dispose([ctx!, w!]);
    model.dispose();
  });

  it('applies dropout to the weights only in training', () => {
    const layer = new Attention({ dropout: 0.5, returnAttentionScores: false });
    const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3);
    const a = layer.apply([q, q]) as tf.Tensor;
    const b = layer.apply([q, q]) as tf.Tensor;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const t = layer.call([q, q], { training: true }) as tf.Tensor;
    expect(Array.from(t.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([q, a, b, t]);
  });

  it('rejects wrong inputs and arguments with codes', () => {
    expectCode(() => new Attention({ scoreMode: 'general' as never }), 'INVALID_ARGUMENT');
    expectCode(() => new AdditiveAttention({ dropout: 1.5 }), 'INVALID_ARGUMENT');
    const x = tf.zeros([2, 3, 4]);
    const flat = tf.zeros([2, 4]);
    expectCode(() => new Attention().apply([x]), 'INVALID_SHAPE');
    expectCode(() => new Attention().apply([x, flat]), 'INVALID_SHAPE');
    expectCode(() => new AdditiveAttention().apply(x), 'INVALID_SHAPE');
    tf.dispose([x, flat]);
  });
});
