import * as tf from '@tensorflow/tfjs';
import type { RecurrentCellLayer } from './cellBase';
import { GRUCell, LSTMCell, SimpleRNNCell, type GRUCellArgs, type LSTMCellArgs, type SimpleRNNCellArgs } from './cellLayers';
import type { BaseLayerArgs } from './layerConfig';
import { RNN, type RNNOptions } from './rnnLayer';

/** Arguments of `SimpleRNN`: the cell's arguments, the RNN options and the base layer arguments, flat (as Keras). */
export type SimpleRNNLayerArgs = SimpleRNNCellArgs & RNNOptions;
/** Arguments of `LSTM` (flat, as Keras). */
export type LSTMLayerArgs = LSTMCellArgs & RNNOptions;
/** Arguments of `GRU` (flat, as Keras). */
export type GRULayerArgs = GRUCellArgs & RNNOptions;

const BASE_KEYS = ['name', 'inputShape', 'batchInputShape', 'batchSize', 'trainable', 'weights', 'dtype', 'inputDType'] as const;
const RNN_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask'] as const;
const CELL_BASE_KEYS = ['name', 'trainable', 'dtype', 'batchInputShape'] as const;

function split<T>(args: T): { layer: BaseLayerArgs & RNNOptions; cell: T } {
  const layer: Record<string, unknown> = {};
  const cell: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const k of [...BASE_KEYS, ...RNN_KEYS]) {
    if (k in cell) {
      layer[k] = cell[k];
      delete cell[k];
    }
  }
  if (layer.dtype !== undefined) cell.dtype = layer.dtype;
  return { layer: layer as BaseLayerArgs & RNNOptions, cell: cell as T };
}

/** The cell's own config without its base layer keys (so the layer config stays flat). */
function cellOnlyConfig(cell: RecurrentCellLayer): tf.serialization.ConfigDict {
  const config = { ...cell.getConfig() };
  for (const k of CELL_BASE_KEYS) delete config[k];
  return config;
}

/** Keras `SimpleRNN` layer: `RNN(SimpleRNNCell)` with a flat config. */
export class SimpleRNN extends RNN {
  static override className = 'SimpleRNN';
  declare readonly cell: SimpleRNNCell;

  constructor(args: SimpleRNNLayerArgs) {
    const { layer, cell } = split(args);
    super({ ...layer, cell: new SimpleRNNCell({ ...cell, name: 'simple_rnn_cell' }) });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const base = super.getConfig();
    delete base.cell;
    return { ...base, ...cellOnlyConfig(this.cell) };
  }
}

/** Keras `LSTM` layer: `RNN(LSTMCell)` with a flat config. */
export class LSTM extends RNN {
  static override className = 'LSTM';
  declare readonly cell: LSTMCell;

  constructor(args: LSTMLayerArgs) {
    const { layer, cell } = split(args);
    super({ ...layer, cell: new LSTMCell({ ...cell, name: 'lstm_cell' }) });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const base = super.getConfig();
    delete base.cell;
    return { ...base, ...cellOnlyConfig(this.cell) };
  }
}

/** Keras `GRU` layer: `RNN(GRUCell)` with a flat config (`resetAfter` defaults to true, as Keras). */
export class GRU extends RNN {
  static override className = 'GRU';
  declare readonly cell: GRUCell;

  constructor(args: GRULayerArgs) {
    const { layer, cell } = split(args);
    super({ ...layer, cell: new GRUCell({ ...cell, name: 'gru_cell' }) });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const base = super.getConfig();
    delete base.cell;
    return { ...base, ...cellOnlyConfig(this.cell) };
  }
}
