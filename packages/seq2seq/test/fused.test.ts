import * as tf from '@tensorflow/tfjs';
import { getKernelMode, setKernelMode } from '@rnnkit/core';
import { Seq2Seq } from '../src/model';
import { makeBatch } from '../src/train';
import { TOY, reverseTask } from './toy';

// The training loss takes core's fused kernels (GRU/LSTM sequence, dense + softmax cross-entropy) when
// they apply; on a tiny case they must give the same loss and gradients as the composite tfjs path.
describe('fused and composite training paths agree', () => {
  const mode = getKernelMode();
  afterEach(() => setKernelMode(mode));

  it.each(['gru', 'lstm'] as const)('%s: same loss and gradients within 1e-5', (cell) => {
    const model = new Seq2Seq({ srcVocabSize: 14, tgtVocabSize: 14, embeddingDim: 8, hiddenUnits: 12, cell, attention: 'general', inputFeeding: false, seed: 5 });
    const data = reverseTask(6, 4);
    const b = makeBatch(data, data.map((_, i) => i), TOY);
    const grads = (eps: number) => tf.variableGrads(() => model.loss(b, { labelSmoothing: eps }), model.variables);
    setKernelMode('fused');
    const fused = grads(0); // fused sequence kernels + fused dense softmax cross-entropy
    setKernelMode('composite');
    const composite = grads(1e-30); // core's time loop over the cells + tfjs logSoftmax
    expect(Math.abs((fused.value.dataSync()[0] as number) - (composite.value.dataSync()[0] as number))).toBeLessThan(1e-5);
    for (const k of Object.keys(fused.grads)) {
      const d = tf.max(tf.abs(tf.sub(fused.grads[k] as tf.Tensor, composite.grads[k] as tf.Tensor))).dataSync()[0] as number;
      expect(d).toBeLessThan(1e-5);
    }
    tf.dispose([fused.value, composite.value, ...Object.values(fused.grads), ...Object.values(composite.grads), ...Object.values(b)]);
    model.dispose();
  });
});
