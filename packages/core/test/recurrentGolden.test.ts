// rnnkit's recurrent layers against golden values from the float64 numpy reference
// (test/reference/keras_ref.py, fixtures written by test/reference/gen_golden.py).
import * as tf from '@tensorflow/tfjs';
import { layers, setKernelMode, type KernelMode } from '../src/index';
import { describeBackends, expectClose, expectNoLeak } from './util/backends';
import layerCases from './fixtures/golden/layers.json';
import statefulCases from './fixtures/golden/stateful.json';
import gradientCases from './fixtures/golden/gradients.json';

type Nested = number | Nested[];
interface Config { units?: number; cells?: [string, number][]; [k: string]: unknown }

function makeLayer(kind: string, config: Config, extra: Record<string, unknown> = {}): tf.layers.Layer {
  const args = { ...config, ...extra } as never;
  if (kind === 'simple_rnn') return layers.simpleRNN(args);
  if (kind === 'lstm') return layers.lstm(args);
  if (kind === 'gru') return layers.gru(args);
  const { cells, ...rest } = config;
  const cellLayers = (cells ?? []).map(([k, units]) =>
    k === 'lstm' ? layers.lstmCell({ units }) : k === 'gru' ? layers.gruCell({ units }) : layers.simpleRNNCell({ units }));
  return layers.rnn({ ...rest, ...extra, cell: cellLayers });
}

/** Builds the layer on `x` and loads the fixture's weights (a null bias means useBias=false). */
function loadWeights(layer: tf.layers.Layer, x: tf.Tensor, weights: (Nested | null)[]): void {
  tf.dispose(layer.apply(x) as tf.Tensor | tf.Tensor[]);
  layer.setWeights(weights.filter((w) => w !== null).map((w) => tf.tensor(w as number[])));
}

const MODES: KernelMode[] = ['fused', 'composite'];

describeBackends('recurrent layers vs numpy reference', () => {
  for (const mode of MODES) {
    describe(`kernel mode ${mode}`, () => {
      beforeAll(() => setKernelMode(mode));
      afterAll(() => setKernelMode('auto'));
      describe('layers.json', () => {
        for (const c of layerCases) {
          it(c.name, async () => {
            const x = tf.tensor(c.x as Nested as number[]);
            const layer = makeLayer(c.layer, c.config as Config, { returnState: true });
            loadWeights(layer, x, c.weights as (Nested | null)[]);
            const kwargs: Record<string, unknown> = {};
            const mask = c.mask ? tf.tensor(c.mask as number[][]).cast('bool') : null;
            if (mask) kwargs.mask = mask;
            const init = c.initialState ? (c.initialState as number[][][]).map((s) => tf.tensor2d(s)) : null;
            if (init) kwargs.initialState = init;
            const [out, ...states] = layer.apply(x, kwargs) as tf.Tensor[];
            expectClose(out as tf.Tensor, c.expected.output as Nested as number[], 1e-5);
            expect(states.length).toBe(c.expected.states.length);
            states.forEach((s, i) => expectClose(s, c.expected.states[i] as number[][], 1e-5));
            tf.dispose([out as tf.Tensor, ...states]);
            await expectNoLeak(() => layer.apply(x, kwargs) as tf.Tensor[], 3);
            tf.dispose([x, mask, ...(init ?? [])].filter((t): t is tf.Tensor => t !== null));
            layer.dispose();
          });
        }
      });

      describe('stateful.json', () => {
        for (const c of statefulCases) {
          it(`${c.name} carries states across calls and resetStates() restarts`, () => {
            const first = c.calls[0] as { x: number[][][]; output: number[][][]; states: number[][][] };
            const x0 = tf.tensor3d(first.x);
            const layer = makeLayer(c.layer, c.config as Config, { stateful: true, batchInputShape: x0.shape });
            loadWeights(layer, x0, c.weights as (Nested | null)[]);
            (layer as tf.layers.Layer & { resetStates(): void }).resetStates();
            const before = tf.memory().numTensors;
            for (const call of c.calls) {
              const x = tf.tensor3d(call.x);
              const out = layer.apply(x) as tf.Tensor;
              expectClose(out, call.output, 1e-5);
              tf.dispose([x, out]);
            }
            const states = (layer as unknown as { states: tf.Tensor[] }).states;
            states.forEach((s, i) => expectClose(s, (c.calls[1] as { states: number[][][] }).states[i] as number[][], 1e-5));
            expect(tf.memory().numTensors).toBeLessThanOrEqual(before + states.length);
            layer.resetStates();
            const out = layer.apply(x0) as tf.Tensor;
            expectClose(out, first.output, 1e-5);
            tf.dispose([out, x0]);
            layer.dispose();
          });
        }
      });

      describe('gradients.json (central finite differences in float64)', () => {
        for (const c of gradientCases) {
          it(c.name, () => {
            const x = tf.tensor(c.x as Nested as number[]);
            const layer = makeLayer(c.layer, c.config as Config);
            loadWeights(layer, x, c.weights as (Nested | null)[]);
            const mask = tf.tensor(c.mask).cast('bool');
            const lw = tf.tensor(c.lossWeights as Nested as number[]);
            const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
            const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { mask, training: true }) as tf.Tensor, lw)) as tf.Scalar, vars);
            expect(Math.abs(value.dataSync()[0] as number - c.loss)).toBeLessThan(1e-4);
            vars.forEach((v, i) => expectClose(grads[v.name] as tf.Tensor, c.grads[i] as Nested as number[], 1e-4));
            tf.dispose([x, mask, lw, value, ...Object.values(grads)]);
            layer.dispose();
          });
        }
      });
    });
  }
});
