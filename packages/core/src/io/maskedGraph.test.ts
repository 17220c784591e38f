// Mask-correct inference: tfjs's executor drops the value mask of a multi-input layer; the graph
// runner installed by installMaskedPredict does not.
import * as tf from '@tensorflow/tfjs';
import { installMaskedPredict, needsMaskedGraph } from './maskedGraph';
import { Attention } from '../layers/attention';
import { expectClose, expectNoLeak } from '../../test/util/backends';

function attentionModel(): tf.LayersModel {
  const qIn = tf.input({ shape: [3], dtype: 'int32' });
  const vIn = tf.input({ shape: [4], dtype: 'int32' });
  const init = (seed: number) => tf.initializers.randomNormal({ seed });
  const q = tf.layers.embedding({ inputDim: 8, outputDim: 2, maskZero: true, embeddingsInitializer: init(1) }).apply(qIn) as tf.SymbolicTensor;
  const v = tf.layers.embedding({ inputDim: 8, outputDim: 2, maskZero: true, embeddingsInitializer: init(2) }).apply(vIn) as tf.SymbolicTensor;
  const out = new Attention({ name: 'att' }).apply([q, v]) as tf.SymbolicTensor;
  return tf.model({ inputs: [qIn, vIn], outputs: tf.layers.dense({ units: 1, kernelInitializer: init(3) }).apply(out) as tf.SymbolicTensor });
}

/** The same computation done by hand, layer by layer, masks passed explicitly. */
function byHand(model: tf.LayersModel, q: tf.Tensor, v: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [eq, ev] = [model.layers[2]!, model.layers[3]!];
    const qe = eq.apply(q) as tf.Tensor;
    const ve = ev.apply(v) as tf.Tensor;
    const masks = [eq.computeMask(q) as tf.Tensor, ev.computeMask(v) as tf.Tensor];
    const ctx = model.getLayer('att').apply([qe, ve], { mask: masks }) as tf.Tensor;
    return model.layers[model.layers.length - 1]!.apply(ctx) as tf.Tensor;
  });
}

describe('installMaskedPredict', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives predict the value mask that tfjs drops, in one batch or several, without leaks', async () => {
    const model = attentionModel();
    expect(needsMaskedGraph(model)).toBe(true);
    const q = tf.tensor2d([[1, 2, 0], [3, 0, 0], [4, 5, 6]], undefined, 'int32');
    const v = tf.tensor2d([[1, 7, 0, 0], [2, 3, 4, 0], [5, 0, 0, 0]], undefined, 'int32');
    const expected = byHand(model, q, v);
    const stock = model.predict([q, v]) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(stock, expected))).dataSync()[0]).toBeGreaterThan(1e-4); // tfjs loses the value mask
    installMaskedPredict(model);
    const whole = model.predict([q, v]) as tf.Tensor;
    const batched = model.predict([q, v], { batchSize: 2 }) as tf.Tensor;
    expectClose(whole, expected);
    expectClose(batched, expected);
    await expectNoLeak(() => model.predict([q, v], { batchSize: 2 }));
    tf.dispose([q, v, expected, stock, whole, batched]);
    model.dispose();
  });

  it('leaves models without multi-input masking layers alone', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    const predict = model.predict;
    expect(needsMaskedGraph(model)).toBe(false);
    installMaskedPredict(model);
    expect(model.predict).toBe(predict);
    model.dispose();
  });
});
