// Bidirectional against golden values from the float64 numpy reference of Keras
// (test/reference/gen_bidirectional.py -> test/fixtures/golden/bidirectional/*.json).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeak } from './util/backends';
import { Bidirectional, type MergeMode, type RecurrentLayer } from '../src/layers/bidirectional';
import { GRU } from '../src/layers/gru';
import { LSTM } from '../src/layers/lstm';
import { SimpleRNN } from '../src/layers/simpleRnn';
import { setKernelMode, type KernelMode } from '../src/kernels/index';

type Nested = number | Nested[];

interface Fixture {
  name: string;
  kind: 'lstm' | 'gru' | 'simple_rnn';
  units: number;
  mergeMode: MergeMode | null;
  returnSequences: boolean;
  returnState: boolean;
  resetAfter: boolean;
  backwardActivation: string | null;
  x: Nested[];
  mask: number[][] | null;
  initialState: Nested[][] | null;
  forwardWeights: Nested[];
  backwardWeights: Nested[];
  expected: Nested[];
  /** Gradient cases: loss = sum(output * lossWeights); gradients w.r.t. the six weights, forward first. */
  lossWeights: Nested[] | null;
  expectedGrads: Nested[] | null;
}

const DIR = path.join(__dirname, 'fixtures', 'golden', 'bidirectional');
const FIXTURES: Fixture[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Fixture);

function makeLayer(f: Fixture, extra: { goBackwards?: boolean; activation?: string } = {}): RecurrentLayer {
  const common = { units: f.units, returnSequences: f.returnSequences, returnState: f.returnState, ...extra } as const;
  if (f.kind === 'lstm') return new LSTM(common as ConstructorParameters<typeof LSTM>[0]);
  if (f.kind === 'gru') return new GRU({ ...common, resetAfter: f.resetAfter } as ConstructorParameters<typeof GRU>[0]);
  return new SimpleRNN(common as ConstructorParameters<typeof SimpleRNN>[0]);
}

/** The fixture's Bidirectional layer with its weights, built for the fixture's input shape. */
function makeBidirectional(f: Fixture): Bidirectional {
  const weights = [...f.forwardWeights, ...f.backwardWeights].map((w) => tf.tensor(w as number[]));
  const backwardLayer = f.backwardActivation ? makeLayer(f, { goBackwards: true, activation: f.backwardActivation }) : null;
  const layer = new Bidirectional({ layer: makeLayer(f), mergeMode: f.mergeMode, backwardLayer, weights });
  const x = tf.tensor(f.x as number[]);
  tf.dispose(layer.apply(x) as tf.Tensor | tf.Tensor[]); // builds, then loads `weights`
  tf.dispose([x, ...weights]);
  return layer;
}

function callArgs(f: Fixture): { mask?: tf.Tensor; initialState?: tf.Tensor[] } {
  return {
    ...(f.mask ? { mask: tf.tensor2d(f.mask, undefined, 'bool') } : {}),
    ...(f.initialState ? { initialState: f.initialState.map((s) => tf.tensor(s as number[])) } : {}),
  };
}

describeBackends('Bidirectional golden values (numpy float64 reference of Keras)', () => {
  it('has fixtures for every merge mode, masks, return_state, initial state, LSTM, GRU and SimpleRNN', () => {
    expect(new Set(FIXTURES.map((f) => f.mergeMode))).toEqual(new Set(['concat', 'sum', 'mul', 'ave', null]));
    expect(new Set(FIXTURES.map((f) => f.kind))).toEqual(new Set(['lstm', 'gru', 'simple_rnn']));
    expect(FIXTURES.some((f) => f.mask && f.returnState && f.initialState)).toBe(true);
    expect(FIXTURES.filter((f) => f.expectedGrads).map((f) => f.kind).sort()).toEqual(['gru', 'lstm']);
  });

  // Both recurrence paths: the fused WebAssembly kernels (the default on cpu and wasm) and composite tf ops.
  for (const mode of ['fused', 'composite'] as KernelMode[]) {
    describe(`kernel mode ${mode}`, () => {
      beforeAll(() => setKernelMode(mode));
      afterAll(() => setKernelMode('auto'));
      for (const f of FIXTURES) {
        it(`${f.name} matches to 1e-5`, () => {
          const layer = makeBidirectional(f);
          const x = tf.tensor(f.x as number[]);
          const args = callArgs(f);
          const out = layer.apply(x, args) as tf.Tensor | tf.Tensor[];
          const outs = Array.isArray(out) ? out : [out];
          expect(outs.length).toBe(f.expected.length);
          outs.forEach((o, i) => expectClose(o, f.expected[i] as Nested[], 1e-5));
          tf.dispose([x, ...outs, ...(args.mask ? [args.mask] : []), ...(args.initialState ?? [])]);
          layer.dispose();
        });
      }

      for (const f of FIXTURES.filter((c) => c.expectedGrads)) {
        it(`${f.name}: gradients of one training step match to 1e-5`, () => {
          const layer = makeBidirectional(f);
          const x = tf.tensor(f.x as number[]);
          const args = callArgs(f);
          const lossWeights = tf.tensor(f.lossWeights as number[]);
          const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, args) as tf.Tensor, lossWeights)) as tf.Scalar, vars);
          vars.forEach((v, i) => expectClose(grads[v.name] as tf.Tensor, (f.expectedGrads as Nested[])[i] as Nested[], 1e-5));
          tf.dispose([x, lossWeights, value, ...Object.values(grads), ...(args.mask ? [args.mask] : [])]);
          layer.dispose();
        });
      }
    });
  }

  it('leaks no tensors across calls with masks and initial states', async () => {
    const f = FIXTURES.find((c) => c.name === 'lstm_concat_state_init_mask') as Fixture;
    const layer = makeBidirectional(f);
    const x = tf.tensor(f.x as number[]);
    const args = callArgs(f);
    await expectNoLeak(() => layer.apply(x, args) as tf.Tensor[], 5);
    tf.dispose([x, args.mask as tf.Tensor, ...(args.initialState ?? [])]);
    layer.dispose();
  });
});
