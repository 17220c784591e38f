import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Embedding, embedding, registerEmbedding } from './layer';
import { setKernelMode } from '@rnnkit/core';
import { embeddingLookup } from './lookup';

async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

describe('embeddingLookup', () => {
  beforeAll(() => useBackend('cpu'));

  it('returns rows of the table with shape [...ids, dim]', () => {
    tf.tidy(() => {
      const table = tf.tensor2d([[0, 0], [1, 2], [3, 4]]);
      const out = embeddingLookup(table, tf.tensor2d([[1, 2], [2, 0]], [2, 2], 'int32'));
      expect(out.shape).toEqual([2, 2, 2]);
      expect(Array.from(out.dataSync())).toEqual([1, 2, 3, 4, 3, 4, 0, 0]);
    });
  });

  it('has the same gradient as tf.gather on cpu, repeated ids summed (1e-6)', () => {
    tf.tidy(() => {
      const table = tf.randomNormal([50, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
      const ids = tf.tensor2d([[3, 3, 7, 0], [49, 3, 7, 12]], [2, 4], 'int32');
      const w = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 2);
      const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), w)))(table);
      const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.gather(t, tf.reshape(ids, [-1])), [2, 4, 8]), w)))(table);
      expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-6);
    });
  });
});

function tinyModel(layer: tf.layers.Layer): tf.Sequential {
  const model = tf.sequential();
  model.add(layer);
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'ones' }));
  return model;
}

describe('embeddingLookup paths', () => {
  afterAll(async () => {
    setKernelMode('auto');
    await useBackend('cpu');
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`the fused-kernel gradient (rows touched only) equals the scatterND fallback on ${backend} (1e-6)`, async () => {
      await useBackend(backend);
      const grad = (mode: 'auto' | 'composite') => {
        setKernelMode(mode);
        return tf.tidy(() => {
          const table = tf.randomNormal([60, 7], 0, 1, 'float32', 5);
          const ids = tf.tensor2d([[3, 3, 59, 0, 12], [7, 3, 0, 0, 59]], [2, 5], 'int32');
          const w = tf.randomNormal([2, 5, 7], 0, 1, 'float32', 6);
          const f = (t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), w));
          return { value: f(table).dataSync()[0] as number, grad: Array.from(tf.grad(f)(table).dataSync()) };
        });
      };
      const fused = grad('auto');
      const scatter = grad('composite');
      expect(Math.abs(fused.value - scatter.value)).toBeLessThan(1e-5);
      const worst = fused.grad.reduce((m, v, i) => Math.max(m, Math.abs(v - (scatter.grad[i] as number))), 0);
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it('consecutive fused gradients on wasm do not carry rows over (reused buffer)', async () => {
    await useBackend('wasm');
    setKernelMode('auto');
    const table = tf.ones([9, 2]);
    const g1 = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.sum(embeddingLookup(t, tf.tensor1d([1, 1, 4], 'int32'))))(table).dataSync()));
    const g2 = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.sum(embeddingLookup(t, tf.tensor1d([2, 8], 'int32'))))(table).dataSync()));
    expect(g1).toEqual([0, 0, 2, 2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(g2).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    table.dispose();
  });
});

describe('Embedding layer', () => {
  beforeAll(() => useBackend('cpu'));

  it('gradients equal tf.layers.embedding on cpu (1e-6)', () => {
    const weights = tf.randomNormal([30, 6], 0, 0.5, 'float32', 3);
    const ours = tinyModel(embedding({ inputDim: 30, outputDim: 6, inputLength: 5, weights: [weights] }));
    const ref = tinyModel(tf.layers.embedding({ inputDim: 30, outputDim: 6, inputLength: 5, weights: [weights] }));
    const x = tf.tensor2d([[1, 2, 2, 29, 0], [5, 5, 5, 1, 7], [0, 0, 3, 4, 9]], [3, 5], 'int32');
    const y = tf.tensor2d([[1], [0], [1]]);
    const grads = (m: tf.Sequential) => tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(y, m.apply(x) as tf.Tensor) as tf.Scalar, m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
    const g1 = grads(ours);
    const g2 = grads(ref);
    const k1 = Object.values(g1.grads);
    const k2 = Object.values(g2.grads);
    expect(k1.length).toBe(k2.length);
    for (let i = 0; i < k1.length; i++) expect(maxAbsDiff(k1[i] as tf.Tensor, k2[i] as tf.Tensor)).toBeLessThan(1e-6);
    tf.dispose([weights, x, y, ...k1, ...k2, g1.value, g2.value]);
    ours.dispose();
    ref.dispose();
  });

  it('masks id 0 with maskZero and keeps the Keras config keys', () => {
    const layer = new Embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 4 });
    const x = tf.tensor2d([[1, 0, 2, 0]], [1, 4], 'int32');
    layer.apply(x);
    const mask = layer.computeMask(x) as tf.Tensor;
    expect(Array.from(mask.dataSync())).toEqual([1, 0, 1, 0]);
    const config = layer.getConfig();
    expect(config).toMatchObject({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 4, trainable: true });
    expect((config.embeddingsInitializer as { className: string }).className).toBe('RandomUniform');
    const copy = Embedding.fromConfig(Embedding, config);
    expect(copy.getConfig()).toEqual(config);
    expect(Embedding.className).toBe('Embedding');
    tf.dispose([x, mask]);
    layer.dispose();
  });

  it('does not leak tensors over repeated apply and mask calls', () => {
    const layer = embedding({ inputDim: 10, outputDim: 3, maskZero: true });
    const x = tf.tensor2d([[1, 0, 2]], [1, 3], 'int32');
    tf.dispose([layer.apply(x) as tf.Tensor, layer.computeMask(x) as tf.Tensor]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) tf.dispose([layer.apply(x) as tf.Tensor, layer.computeMask(x) as tf.Tensor]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    layer.dispose();
  });

  it('rejects a non-integer inputDim with INVALID_ARGUMENT', () => {
    expect(() => new Embedding({ inputDim: 2.5, outputDim: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('a saved model loads with stock tfjs, and with registerEmbedding as this class', async () => {
    const model = tinyModel(embedding({ inputDim: 12, outputDim: 4, inputLength: 3 }));
    const json = model.toJSON(undefined, false) as tf.io.ModelJSON['modelTopology'];
    const stock = await tf.models.modelFromJSON({ modelTopology: json } as tf.io.ModelJSON);
    expect(stock.layers[0]?.getClassName()).toBe('Embedding');
    expect(stock.layers[0]).not.toBeInstanceOf(Embedding);
    registerEmbedding();
    const ours = await tf.models.modelFromJSON({ modelTopology: json } as tf.io.ModelJSON);
    expect(ours.layers[0]).toBeInstanceOf(Embedding);
    model.dispose();
    stock.dispose();
    ours.dispose();
  });

  it('frozen (trainable: false) keeps its weights during fit', async () => {
    const init = tf.randomNormal([8, 4], 0, 1, 'float32', 4);
    const model = tinyModel(embedding({ inputDim: 8, outputDim: 4, inputLength: 3, weights: [init], trainable: false }));
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'binaryCrossentropy' });
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
    const y = tf.tensor2d([[1], [0]]);
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    expect(maxAbsDiff(model.layers[0]?.getWeights()[0] as tf.Tensor, init)).toBe(0);
    tf.dispose([init, x, y]);
    model.dispose();
  });
});

describe('Embedding layer on wasm', () => {
  beforeAll(() => useBackend('wasm'));
  afterAll(() => useBackend('cpu'));

  it('tf.layers.embedding cannot train on wasm (the bug this layer fixes)', async () => {
    const model = tinyModel(tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 3 }));
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const x = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
    const y = tf.tensor2d([[1]]);
    await expect(model.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow();
    tf.dispose([x, y]);
    model.dispose();
  });

  it('model.fit works and the loss goes down', async () => {
    const model = tinyModel(embedding({ inputDim: 20, outputDim: 4, inputLength: 3 }));
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6], [1, 1, 2], [5, 6, 6]], [4, 3], 'int32');
    const y = tf.tensor2d([[1], [0], [1], [0]]);
    const h = await model.fit(x, y, { epochs: 20, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] as number);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('gradients on wasm equal those on cpu (1e-5)', async () => {
    const tableVals = Array.from({ length: 40 * 5 }, (_, i) => Math.sin(i));
    const idVals = [3, 3, 7, 0, 39, 3, 7, 12];
    const run = () =>
      tf.tidy(() => {
        const table = tf.tensor2d(tableVals, [40, 5]);
        const ids = tf.tensor2d(idVals, [2, 4], 'int32');
        const w = tf.tensor3d(Array.from({ length: 40 }, (_, i) => Math.cos(i)), [2, 4, 5]);
        return Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), w)))(table).dataSync());
      });
    const wasm = run();
    await useBackend('cpu');
    const cpu = run();
    await useBackend('wasm');
    let worst = 0;
    for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs((cpu[i] as number) - (wasm[i] as number)));
    expect(worst).toBeLessThan(1e-5);
  });

  it('does not leak tensors over repeated forward and backward passes', () => {
    const table = tf.variable(tf.randomNormal([30, 4]));
    const ids = tf.tensor2d([[1, 2, 2]], [1, 3], 'int32');
    const step = () => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(embeddingLookup(t, ids)))(table).dataSync());
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([table, ids]);
  });
});
