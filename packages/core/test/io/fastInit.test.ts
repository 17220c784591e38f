// loadLayersModel builds layers without running their initializers (the stored weights overwrite every
// initial value): same outputs bit for bit, same config (initializers included), no initializer calls.
import * as tf from '@tensorflow/tfjs';
import { modelFromArtifacts } from '../../src/io';
import { layers } from '../../src/layers/index';

let applyCalls = 0;

/** An initializer that counts its calls (a tfjs `Ones` with a counting apply). */
type InitClass = new () => { apply(shape: number[]): tf.Tensor };
const OnesBase = tf.serialization.SerializationMap.getMap().classNameMap.Ones?.[0] as unknown as InitClass;
class CountingInit extends OnesBase {
  override apply(shape: number[]): tf.Tensor {
    applyCalls++;
    return tf.fill(shape, 0.25);
  }
}

/** A layer that multiplies by a weight created with CountingInit. */
class Scale extends tf.layers.Layer {
  static className = 'Scale';
  private w: tf.LayerVariable | null = null;
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = inputShape as tf.Shape;
    this.w = this.addWeight('w', [s[s.length - 1] as number], 'float32', new CountingInit() as never);
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs, (this.w as tf.LayerVariable).read());
  }
}

const customObjects = { Scale: [Scale, (cls: typeof Scale, config: tf.serialization.ConfigDict) => new cls(config as never)] } as never;

async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved as unknown as tf.io.ModelArtifacts;
}

function bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

describe('loadLayersModel skips the initializers of layers whose weights it loads', () => {
  it('Sequential and functional models: identical outputs and config, no initializer runs', async () => {
    const seq = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 30, outputDim: 6, inputShape: [null] }),
        layers.lstm({ units: 5, returnSequences: true }), // orthogonal recurrent kernel (Keras default)
        layers.bidirectional({ layer: layers.gru({ units: 3 }) }),
        new Scale({}),
        tf.layers.dense({ units: 2, kernelInitializer: 'heNormal' }),
      ],
    });
    const input = tf.input({ shape: [4, 3] });
    const h = layers.simpleRNN({ units: 4, returnSequences: true }).apply(input) as tf.SymbolicTensor;
    const out = new Scale({}).apply(layers.lstm({ units: 2 }).apply(h) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const fn = tf.model({ inputs: input, outputs: out });
    expect(applyCalls).toBe(2); // building in code runs CountingInit once per Scale layer
    const ids = tf.tensor2d([[1, 5, 29], [0, 7, 3]], undefined, 'int32');
    const x = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 1);
    for (const [model, data] of [[seq, ids], [fn, x]] as const) {
      const artifacts = await artifactsOf(model);
      applyCalls = 0;
      const loaded = await modelFromArtifacts(artifacts, { customObjects });
      expect(applyCalls).toBe(0);
      expect(bits(loaded.predict(data) as tf.Tensor)).toEqual(bits(model.predict(data) as tf.Tensor));
      expect(loaded.toJSON(null, false)).toEqual(model.toJSON(null, false)); // initializers as saved
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
      expect(loaded.getClassName()).toBe(model.getClassName());
      loaded.dispose();
    }
    const recurrent = (seq.layers[1] as unknown as { getConfig(): tf.serialization.ConfigDict }).getConfig();
    expect((recurrent['recurrentInitializer'] as { className: string }).className).toBe('Orthogonal');
    tf.dispose([ids, x]);
    seq.dispose();
    fn.dispose();
  });
});
