// Stacking recurrent layers, both ways Keras offers: several layers (all but the last with
// returnSequences), or one RNN layer over stacked cells. Without masks both compute the same thing.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from './util/backends';
import { layers } from '../src/layers/index';
import { setKernelMode, type KernelMode } from '../src/kernels/index';

describeBackends('stacking recurrent layers', () => {
  for (const mode of ['fused', 'composite'] as KernelMode[]) {
    describe(`kernel mode ${mode}`, () => {
      beforeAll(() => setKernelMode(mode));
      afterAll(() => setKernelMode('auto'));
      it('stacks layers in tf.sequential: lstm(returnSequences) -> gru -> dense, with Keras parameter counts', async () => {
        const model = tf.sequential({
          layers: [
            layers.lstm({ units: 8, returnSequences: true, inputShape: [6, 5] }),
            layers.gru({ units: 4 }),
            tf.layers.dense({ units: 1, activation: 'sigmoid' }),
          ],
        });
        expect(model.outputShape).toEqual([null, 1]);
        // LSTM: 4 * 8 * (5 + 8 + 1) = 448; GRU (resetAfter): 3 * 4 * (8 + 4 + 2) = 168; Dense: 5.
        expect(model.layers.map((l) => l.countParams())).toEqual([448, 168, 5]);
        model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
        const x = tf.randomNormal([32, 6, 5], 0, 1, 'float32', 11);
        const y = tf.cast(tf.greater(tf.mean(x, [1, 2]), 0), 'float32').reshape([32, 1]);
        const h = await model.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0 });
        const loss = h.history['loss'] as number[];
        expect(loss[loss.length - 1] as number).toBeLessThan(loss[0] as number);
        tf.dispose([x, y]);
        model.dispose();
      });

      it('a stacked-cells RNN equals the same cells stacked as layers (same weights)', () => {
        const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 12);
        const stacked = tf.sequential({
          layers: [layers.rnn({ cell: layers.stackedRNNCells({ cells: [layers.lstmCell({ units: 6 }), layers.gruCell({ units: 3 })] }), inputShape: [5, 4] })],
        });
        const asLayers = tf.sequential({
          layers: [layers.lstm({ units: 6, returnSequences: true, inputShape: [5, 4] }), layers.gru({ units: 3 })],
        });
        expect(stacked.countParams()).toBe(asLayers.countParams());
        asLayers.setWeights(stacked.getWeights());
        const a = stacked.predict(x) as tf.Tensor; // [3, 3]
        const b = asLayers.predict(x) as tf.Tensor;
        expectClose(a, b, 1e-5);
        // An array of cells is the same as StackedRNNCells.
        const viaArray = tf.sequential({ layers: [layers.rnn({ cell: [layers.lstmCell({ units: 6 }), layers.gruCell({ units: 3 })], inputShape: [5, 4] })] });
        viaArray.setWeights(stacked.getWeights());
        const c = viaArray.predict(x) as tf.Tensor;
        expectClose(c, a, 1e-6);
        const names = stacked.weights.map((w) => w.originalName);
        expect(new Set(names).size).toBe(names.length);
        tf.dispose([x, a, b, c]);
        stacked.dispose();
        asLayers.dispose();
        viaArray.dispose();
      });

      it('trains a stacked-cells model and leaks no tensors in predict', async () => {
        const model = tf.sequential({
          layers: [
            layers.rnn({ cell: [layers.simpleRNNCell({ units: 4 }), layers.lstmCell({ units: 4 })], inputShape: [5, 3] }),
            tf.layers.dense({ units: 1 }),
          ],
        });
        model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
        const x = tf.randomNormal([16, 5, 3], 0, 1, 'float32', 13);
        const y = tf.mean(x, [1, 2]).reshape([16, 1]);
        const h = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
        const loss = h.history['loss'] as number[];
        expect(loss[loss.length - 1] as number).toBeLessThan(loss[0] as number);
        await expectNoLeak(() => model.predict(x) as tf.Tensor, 5);
        tf.dispose([x, y]);
        model.dispose();
      });
    });
  }
});
