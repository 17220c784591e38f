// Pure JSON -> JSON topology normalization: Keras 3 fields, inbound nodes, InputLayer, dtype policies.
import { collectLayerClassNames, normalizeTopology, type Json, type JsonObject } from './normalize';
import { isRnnkitError } from '../errors';

const policy = (name: string) => ({ module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null });
const tensor = (layer: string, shape: Array<number | null> = [null, 3]) => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
});

function keras3Functional(): JsonObject {
  return {
    keras_version: '3.6.0',
    model_config: {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      registered_name: 'Functional',
      build_config: { input_shape: null },
      config: {
        name: 'functional',
        trainable: true,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: 'q', inbound_nodes: [], config: { batch_shape: [null, 4, 3], dtype: 'float32', sparse: false, ragged: false, optional: false, name: 'q' } },
          { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: 'v', inbound_nodes: [], config: { batch_shape: [null, 5, 3], dtype: 'float32', sparse: false, name: 'v' } },
          {
            module: 'keras.layers', class_name: 'LSTM', registered_name: null, name: 'lstm', build_config: { input_shape: [null, 5, 3] },
            config: { name: 'lstm', dtype: policy('float32'), units: 3, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null } },
            inbound_nodes: [{ args: [tensor('v')], kwargs: { training: false, mask: null, initial_state: [tensor('q'), tensor('q')] } }],
          },
          {
            module: 'keras.layers', class_name: 'Attention', registered_name: null, name: 'attention',
            config: { name: 'attention', dtype: policy('mixed_float16'), use_scale: true, score_mode: 'dot', dropout: 0 },
            inbound_nodes: [{ args: [[tensor('q'), tensor('lstm')]], kwargs: { use_causal_mask: true, return_attention_scores: false } }],
          },
        ],
        input_layers: [['q', 0, 0], ['v', 0, 0]],
        output_layers: ['attention', 0, 0],
      },
    },
  };
}

describe('normalizeTopology', () => {
  it('turns a Keras 3 functional topology into the tfjs-layers form', () => {
    const input = keras3Functional();
    const before = JSON.stringify(input);
    const { modelConfig, flavor, kerasVersion } = normalizeTopology(input);
    expect(JSON.stringify(input)).toBe(before); // pure: the input is not modified
    expect(flavor).toBe('keras3');
    expect(kerasVersion).toBe('3.6.0');
    const text = JSON.stringify(modelConfig);
    for (const gone of ['"module"', '"registered_name"', '"build_config"', '"batch_shape"', '"optional"', '__keras_tensor__', 'DTypePolicy']) {
      expect(text).not.toContain(gone);
    }
    const config = modelConfig['config'] as JsonObject;
    const layers = config['layers'] as JsonObject[];
    expect((layers[0]!['config'] as JsonObject)['batch_input_shape']).toEqual([null, 4, 3]);
    expect((layers[2]!['config'] as JsonObject)['dtype']).toBe('float32');
    // initial_state tensors become extra inputs; training / null masks are dropped
    expect(layers[2]!['inbound_nodes']).toEqual([[['v', 0, 0, {}], ['q', 0, 0, {}], ['q', 0, 0, {}]]]);
    // attention call options move into the layer config; mixed policies load as float32
    expect(layers[3]!['inbound_nodes']).toEqual([[['q', 0, 0, {}], ['lstm', 0, 0, {}]]]);
    expect(layers[3]!['config']).toMatchObject({ use_causal_mask: true, dtype: 'float32' });
    expect((layers[3]!['config'] as JsonObject)['return_attention_scores']).toBeUndefined();
    expect(config['output_layers']).toEqual([['attention', 0, 0]]);
    expect(config['input_layers']).toEqual([['q', 0, 0], ['v', 0, 0]]);
  });

  it('keeps Keras 2 / tfjs topologies as they are, apart from Keras 2 aliases', () => {
    const k2 = {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Sequential',
        config: { name: 'sequential', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 5, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' } }, { class_name: 'UnifiedLSTM', config: { name: 'lstm', units: 2 } }] },
      },
    };
    const { modelConfig, flavor } = normalizeTopology(k2);
    expect(flavor).toBe('keras2');
    const layers = (modelConfig['config'] as JsonObject)['layers'] as JsonObject[];
    expect(layers[0]!['config']).toEqual({ batch_input_shape: [null, 5, 3], dtype: 'float32', name: 'input_1' });
    expect(layers[1]!['class_name']).toBe('LSTM');
    const tfjs = { class_name: 'Sequential', config: { name: 's', layers: [] }, keras_version: 'tfjs-layers 4.22.0' };
    expect(normalizeTopology(tfjs)).toEqual({ modelConfig: { class_name: 'Sequential', config: { name: 's', layers: [] } }, flavor: 'tfjs', kerasVersion: 'tfjs-layers 4.22.0' });
  });

  it('guesses Keras 3 without keras_version from its fields; tuples become lists', () => {
    const bare = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'InputLayer', config: { batch_shape: { class_name: '__tuple__', config: { value: [null, 2] } }, name: 'i' } }] } };
    const { modelConfig, flavor } = normalizeTopology(bare);
    expect(flavor).toBe('keras3');
    const layer = ((modelConfig['config'] as JsonObject)['layers'] as JsonObject[])[0]!;
    expect((layer['config'] as JsonObject)['batch_input_shape']).toEqual([null, 2]);
  });

  it('rejects JSON that is not a model topology with INVALID_MODEL', () => {
    for (const bad of [null, 3, 'x', { foo: 1 }, { class_name: 'Sequential' }]) {
      let err: unknown;
      try {
        normalizeTopology(bad);
      } catch (e) {
        err = e;
      }
      expect(isRnnkitError(err, 'INVALID_MODEL')).toBe(true);
    }
  });

  it('rejects tensor call arguments tfjs cannot express with UNSUPPORTED', () => {
    const topo = keras3Functional();
    const layers = ((topo['model_config'] as JsonObject)['config'] as JsonObject)['layers'] as JsonObject[];
    layers[3]!['inbound_nodes'] = [{ args: [[tensor('q'), tensor('lstm')]], kwargs: { mask: [tensor('q'), null] } }];
    expect(() => normalizeTopology(topo)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });

  it('shifts Keras node indices of nested models past their internal node (Keras skips it, tfjs counts it)', () => {
    const nested = (name: string, layers: JsonObject[]) => ({ class_name: 'Sequential', name, config: { name, layers }, inbound_nodes: [[['in', 0, 0, {}]]] });
    const topo = (version: string) => ({
      keras_version: version,
      model_config: {
        class_name: 'Functional',
        config: {
          name: 'f',
          layers: [
            { class_name: 'InputLayer', name: 'in', config: { batch_input_shape: [null, 3], name: 'in' }, inbound_nodes: [] },
            nested('built', [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 3], name: 'i2' } }, { class_name: 'Dense', config: { name: 'd1', units: 2 } }]),
            nested('deferred', [{ class_name: 'Dense', config: { name: 'd2', units: 2 } }]),
            { class_name: 'Add', name: 'add', config: { name: 'add' }, inbound_nodes: [[['built', 0, 0, {}], ['deferred', 0, 0, {}]]] },
          ],
          input_layers: [['in', 0, 0]],
          output_layers: [['add', 0, 0], ['built', 0, 0]],
        },
      },
    });
    const keras = (normalizeTopology(topo('2.15.0')).modelConfig['config'] as JsonObject);
    expect(((keras['layers'] as JsonObject[])[3]!['inbound_nodes'] as Json[][])[0]).toEqual([['built', 1, 0, {}], ['deferred', 0, 0, {}]]);
    expect(keras['output_layers']).toEqual([['add', 0, 0], ['built', 1, 0]]);
    const tfjs = (normalizeTopology(topo('tfjs-layers 4.22.0')).modelConfig['config'] as JsonObject);
    expect(tfjs['output_layers']).toEqual([['add', 0, 0], ['built', 0, 0]]);
  });

  it('maps Keras initializer and regularizer names to tfjs ones', () => {
    const topo = {
      keras_version: '3.6.0',
      model_config: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd', kernel_initializer: { module: 'keras.initializers', class_name: 'LecunNormal', config: { seed: null }, registered_name: null }, kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.5 }, registered_name: null } } }] } },
    };
    const layer = ((normalizeTopology(topo).modelConfig['config'] as JsonObject)['layers'] as JsonObject[])[0]!;
    expect(layer['config']).toMatchObject({ kernel_initializer: { class_name: 'LeCunNormal', config: { seed: null } }, kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.5 } } });
  });

  it('collects nested layer and cell class names', () => {
    const topo = {
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'Bidirectional', config: { layer: { class_name: 'GRU', config: {} }, backward_layer: { class_name: 'MyGRU', config: {} } } },
          { class_name: 'RNN', config: { cell: { class_name: 'StackedRNNCells', config: { cells: [{ class_name: 'LSTMCell', config: {} }] } } } },
        ],
      },
    };
    expect(collectLayerClassNames(normalizeTopology(topo).modelConfig).sort()).toEqual(['Bidirectional', 'GRU', 'LSTMCell', 'MyGRU', 'RNN', 'Sequential', 'StackedRNNCells']);
  });
});
