// Tests of deserialize.ts, the one class lookup: every class of the registry's table comes back from
// its `{ className, config }` as the same class with the same config; the caller's customObjects come
// first; an unknown class, or a non-cell class where a cell is expected, throws UNKNOWN_CLASS.
import type * as tf from '@tensorflow/tfjs';
import { codeOf } from '../../test/util/errors';
import { deserializeCell, deserializeLayer, layers, rnnkitLayerClasses } from './index';

function serialize(layer: tf.layers.Layer): { className: string; config: tf.serialization.ConfigDict } {
  return { className: layer.getClassName(), config: layer.getConfig() };
}

describe('deserializeLayer / deserializeCell', () => {
  const examples: tf.layers.Layer[] = [
    layers.rnn({ cell: [layers.lstmCell({ units: 3 }), layers.gruCell({ units: 2 })], returnSequences: true }),
    layers.simpleRNN({ units: 2, goBackwards: true }),
    layers.lstm({ units: 3, unitForgetBias: false }),
    layers.gru({ units: 2, resetAfter: false }),
    layers.simpleRNNCell({ units: 2 }),
    layers.lstmCell({ units: 2 }),
    layers.gruCell({ units: 2 }),
    layers.stackedRNNCells({ cells: [layers.simpleRNNCell({ units: 2 }), layers.lstmCell({ units: 3 })] }),
    layers.bidirectional({ layer: layers.gru({ units: 2, returnSequences: true }), mergeMode: 'sum' }),
    layers.attention({ useScale: true }),
    layers.additiveAttention({ useScale: false }),
  ];

  it('rebuilds one layer of every class in the registry with the same class and config', () => {
    expect(examples.map((l) => l.getClassName()).sort()).toEqual(Object.keys(rnnkitLayerClasses()).sort());
    for (const layer of examples) {
      const again = deserializeLayer(serialize(layer)) as tf.layers.Layer;
      expect(again.constructor).toBe(layer.constructor);
      expect(again.getConfig()).toEqual(layer.getConfig());
    }
  });

  it("looks in the caller's customObjects first", () => {
    const mine = layers.lstm({ units: 2 });
    const custom = { LSTM: [Object, () => mine] } as unknown as Parameters<typeof deserializeLayer>[1];
    expect(deserializeLayer({ className: 'LSTM', config: {} }, custom)).toBe(mine);
  });

  it('throws UNKNOWN_CLASS for an unknown class, and deserializeCell for a class that is not a cell', () => {
    expect(codeOf(() => deserializeLayer({ className: 'NoSuchLayer', config: {} }))).toBe('UNKNOWN_CLASS');
    expect(codeOf(() => deserializeCell({ className: 'LSTM', config: { units: 2 } }))).toBe('UNKNOWN_CLASS');
    expect(deserializeCell({ className: 'GRUCell', config: { units: 2 } }).getClassName()).toBe('GRUCell');
  });
});
