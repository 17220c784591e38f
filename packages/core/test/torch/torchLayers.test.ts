// PyTorch modules -> rnnkit, checked against real PyTorch: test/fixtures/torch was written by
// make_torch_fixtures.py with torch 2.11 (safetensors 0.8.0): nn.LSTM / nn.GRU / nn.RNN state dicts and
// their float64 outputs (stacked, bidirectional, packed lengths, with and without h0) and an
// Embedding -> BiGRU -> Linear classifier.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readSafetensors } from '../../src/io/safetensors';
import { type TorchRecurrentMode, torchLayers } from '../../src/torch/index';
import { describeBackends, expectClose } from '../util/backends';
import { codeOf } from '../util/errors';

const DIR = path.join(__dirname, '../fixtures/torch');

interface Case {
  mode: TorchRecurrentMode;
  options: { input_size: number; hidden_size: number; num_layers?: number; bias?: boolean; batch_first?: boolean; bidirectional?: boolean; proj_size?: number };
  prefix: string;
  x: number[][][];
  lengths: number[] | null;
  h0: number[][][] | null;
  c0: number[][][] | null;
  output?: number[][][];
  hN?: number[][][];
  cN?: number[][][] | null;
}

const load = (name: string): Case => JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as Case;

function optionsOf(c: Case) {
  const o = c.options;
  return {
    mode: c.mode, inputSize: o.input_size, hiddenSize: o.hidden_size, numLayers: o.num_layers ?? 1, bias: o.bias ?? true,
    batchFirst: o.batch_first ?? false, bidirectional: o.bidirectional ?? false, projSize: o.proj_size ?? 0,
  };
}

const CASES = ['lstm_stacked_bi_packed_h0', 'lstm_batch_first', 'gru_bi_packed', 'gru_stacked_h0', 'rnn_relu_stacked_h0', 'rnn_tanh_nobias_bi_packed'];

describeBackends('torchLayers.recurrent matches PyTorch', () => {
  it.each(CASES)('%s: output, hN (and cN)', async (name) => {
    const c = load(name);
    const before = tf.memory().numTensors;
    const weights = await readSafetensors(path.join(DIR, `${name}.safetensors`));
    const rnn = torchLayers.recurrent(weights, c.prefix, optionsOf(c));
    Object.values(weights).forEach((t) => t.dispose());
    const x = tf.tensor3d(c.x);
    const h0 = c.h0 ? tf.tensor3d(c.h0) : undefined;
    const c0 = c.c0 ? tf.tensor3d(c.c0) : undefined;
    const out = rnn.forward(x, { ...(h0 ? { h0 } : {}), ...(c0 ? { c0 } : {}), ...(c.lengths ? { lengths: c.lengths } : {}) });
    expectClose(out.output, c.output as number[][][]);
    expectClose(out.hN, c.hN as number[][][]);
    if (c.mode === 'LSTM') expectClose(out.cN as tf.Tensor, c.cN as number[][][]);
    else expect(out.cN).toBeUndefined();
    tf.dispose([x, h0, c0, out.output, out.hN, out.cN].filter((t) => t !== undefined) as tf.Tensor[]);
    rnn.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('torchLayers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('the layers run in tf.sequential like the module (no lengths) and save / load in the layers format', async () => {
    const c = load('gru_stacked_h0');
    const weights = await readSafetensors(path.join(DIR, 'gru_stacked_h0.safetensors'));
    const rnn = torchLayers.recurrent(weights, c.prefix, optionsOf(c));
    tf.dispose(Object.values(weights));
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [null, c.options.input_size] }), ...rnn.layers] });
    const x = tf.tensor3d(c.x); // [time, batch, in]
    const batchFirst = tf.transpose(x, [1, 0, 2]);
    const viaModel = model.predict(batchFirst) as tf.Tensor;
    const viaForward = rnn.forward(x);
    expectClose(tf.transpose(viaModel, [1, 0, 2]), viaForward.output);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const { loadLayersModel } = await import('../../src/io');
    const reloaded = await loadLayersModel(saved as tf.io.ModelArtifacts);
    expectClose(reloaded.predict(batchFirst) as tf.Tensor, viaModel);
    tf.dispose([x, batchFirst, viaModel, viaForward.output, viaForward.hN]);
    model.dispose();
    reloaded.dispose();
  });

  it('Embedding -> BiGRU -> Linear classifier (packed lengths, cat(hN[-2], hN[-1])) matches PyTorch as a tf.sequential', async () => {
    const c = JSON.parse(fs.readFileSync(path.join(DIR, 'classifier.json'), 'utf8')) as { ids: number[][]; lengths: number[]; logits: number[][] };
    const before = tf.memory().numTensors;
    const weights = await readSafetensors(path.join(DIR, 'classifier.safetensors'));
    const emb = torchLayers.embedding(weights, 'emb', { maskZero: true });
    const gru = torchLayers.recurrent(weights, 'rnn', { mode: 'GRU', inputSize: 6, hiddenSize: 5, batchFirst: true, bidirectional: true, returnSequences: false });
    const fc = torchLayers.linear(weights, 'fc');
    tf.dispose(Object.values(weights));
    const model = tf.sequential({ layers: [emb, ...gru.layers, fc] });
    const ids = tf.tensor2d(c.ids, undefined, 'int32');
    const logits = model.predict(ids) as tf.Tensor;
    expectClose(logits, c.logits);
    tf.dispose([ids, logits]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses projSize, a missing entry and a wrong shape with codes', async () => {
    const c = load('lstm_proj');
    const weights = await readSafetensors(path.join(DIR, 'lstm_proj.safetensors'));
    expect(codeOf(() => torchLayers.recurrent(weights, c.prefix, optionsOf(c)))).toBe('UNSUPPORTED');
    expect(codeOf(() => torchLayers.recurrent(weights, 'nope', { mode: 'LSTM', inputSize: 3, hiddenSize: 5 }))).toBe('WEIGHT_MISMATCH');
    expect(codeOf(() => torchLayers.recurrent(weights, '', { mode: 'LSTM', inputSize: 4, hiddenSize: 5 }))).toBe('WEIGHT_MISMATCH');
    expect(codeOf(() => torchLayers.recurrent(weights, '', { mode: 'LSTM' as TorchRecurrentMode, inputSize: 0, hiddenSize: 5 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => torchLayers.linear(weights, 'missing'))).toBe('WEIGHT_MISMATCH');
    tf.dispose(Object.values(weights));
  });
});
