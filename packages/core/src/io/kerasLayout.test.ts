// Keras 3 .keras weight paths -> layer names (slots by class, nested models, stacked cells).
import * as tf from '@tensorflow/tfjs';
import { kerasLayoutToName, kerasSnakeCase, renameKerasLayout } from './kerasLayout';
import type { JsonObject } from './normalize';

const layer = (class_name: string, name: string, extra: JsonObject = {}): JsonObject => ({ class_name, config: { name, ...extra } });

const model: JsonObject = {
  class_name: 'Functional',
  config: {
    name: 'f',
    layers: [
      layer('InputLayer', 'ids'),
      layer('Embedding', 'q_embed'),
      layer('Embedding', 'v_embed'),
      layer('Sequential', 'encoder', { layers: [layer('InputLayer', 'x'), layer('Dense', 'proj'), layer('Dense', 'proj2')] }),
      layer('RNN', 'stack', { cell: { class_name: 'StackedRNNCells', config: { cells: [layer('SimpleRNNCell', 'c0'), layer('LSTMCell', 'c1'), layer('LSTMCell', 'c2')] } } }),
      layer('Bidirectional', 'bi'),
    ],
  },
};

describe('Keras 3 .keras layout', () => {
  it('snake-cases class names as Keras does', () => {
    expect(['SimpleRNN', 'LSTM', 'GRU', 'StackedRNNCells', 'LSTMCell', 'SimpleRNNCell', 'AdditiveAttention', 'InputLayer', 'Bidirectional'].map(kerasSnakeCase)).toEqual([
      'simple_rnn', 'lstm', 'gru', 'stacked_rnn_cells', 'lstm_cell', 'simple_rnn_cell', 'additive_attention', 'input_layer', 'bidirectional',
    ]);
  });

  it('maps slots to layer names, through nested models, stacked cells and Bidirectional', () => {
    expect(kerasLayoutToName('layers/embedding/vars/0', model)).toBe('q_embed/vars/0');
    expect(kerasLayoutToName('layers/embedding_1/vars/0', model)).toBe('v_embed/vars/0');
    expect(kerasLayoutToName('layers/sequential/layers/dense_1/vars/1', model)).toBe('proj2/vars/1');
    expect(kerasLayoutToName('layers/rnn/cell/cells/lstm_cell_1/vars/2', model)).toBe('stack/cell/cells/c2/vars/2');
    expect(kerasLayoutToName('layers/bidirectional/backward_layer/cell/vars/0', model)).toBe('bi/backward_layer/cell/vars/0');
    expect(kerasLayoutToName('layers/embedding_2/vars/0', model)).toBeNull();
    expect(kerasLayoutToName('embedding/embeddings', model)).toBeNull();
  });

  it('renames a .keras manifest and drops optimizer / metric state; leaves other layouts alone', () => {
    const t = tf.scalar(1);
    const stored = [
      { name: 'layers/embedding/vars/0', tensor: t },
      { name: 'optimizer/vars/0', tensor: t },
      { name: '_compile_metrics/vars/0', tensor: t },
    ];
    expect(renameKerasLayout(stored, model).map((w) => w.name)).toEqual(['q_embed/vars/0']);
    const other = [{ name: 'q_embed/embeddings', tensor: t }];
    expect(renameKerasLayout(other, model)).toBe(other);
    t.dispose();
  });
});
