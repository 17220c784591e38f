import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@rnnkit/core';
import { Seq2Seq, makeBatch } from '../src/index';
await initBackend('wasm');
const V = Number(process.argv[2] ?? 4100);
const model = new Seq2Seq({ srcVocabSize: V, tgtVocabSize: V, embeddingDim: 128, hiddenUnits: 256, attention: 'general', inputFeeding: false, dropout: 0.1 });
const data = Array.from({ length: 64 }, (_, i) => ({ src: Array.from({ length: 10 }, (_, j) => 4 + ((i * 7 + j * 13) % (V - 4))), tgt: Array.from({ length: 10 }, (_, j) => 4 + ((i * 5 + j * 11) % (V - 4))) }));
const b = makeBatch(data, data.map((_, i) => i), { bosId: 2, eosId: 3 });
const opt = tf.train.adam(1e-3);
for (const eps of [0, 0.1]) {
  for (const what of ['fwd', 'grad', 'step']) {
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) tf.tidy(() => {
      if (what === 'fwd') return model.loss(b, { labelSmoothing: eps, training: true }).dataSync();
      const { value, grads } = tf.variableGrads(() => model.loss(b, { labelSmoothing: eps, training: true }), model.variables);
      if (what === 'step') opt.applyGradients(grads);
      return value.dataSync();
    });
    console.log(V, eps, what, ((Date.now() - t0) / 4).toFixed(0), 'ms');
  }
}
