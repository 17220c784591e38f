// model.fit drives the fused op unchanged: a minimal tf.layers.Layer calling fusedLstmSequence trains
// (loss falls) on cpu and wasm without leaking tensors between fits.
import * as tf from '@tensorflow/tfjs';
import { describeBackends } from '../../test/util/backends';
import { fusedLstmSequence } from './ops';

class FusedLstmProbe extends tf.layers.Layer {
  static className = 'FusedLstmProbe';
  private kernel!: tf.LayerVariable;
  private recurrentKernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(private readonly units: number) {
    super({});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    const g = 4 * this.units;
    this.kernel = this.addWeight('kernel', [shape[2] as number, g], 'float32', tf.initializers.glorotUniform({ seed: 1 }));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, g], 'float32', tf.initializers.glorotUniform({ seed: 2 }));
    this.bias = this.addWeight('bias', [g], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [(inputShape as tf.Shape)[0] as number, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return fusedLstmSequence(x, this.kernel.read(), this.recurrentKernel.read(), this.bias.read()).output;
  }
}

describeBackends('fused op under model.fit', () => {
  it('trains a Sequential model and leaks no tensors', async () => {
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [6, 5] }), new FusedLstmProbe(8), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const x = tf.randomUniform([16, 6, 5], -1, 1, 'float32', 3);
    const y = tf.tidy(() => tf.reshape(tf.mean(x, [1, 2]), [16, 1]));
    const first = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const before = tf.memory().numTensors;
    const h = await model.fit(x, y, { epochs: 15, batchSize: 8, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan((first.history.loss as number[])[0] as number);
    tf.dispose([x, y]);
    model.dispose();
  });
});
