import { GRUCell, LSTMCell, SimpleRNNCell, type GRUCellArgs, type LSTMCellArgs, type SimpleRNNCellArgs } from './cellLayers';
import { GRU, LSTM, SimpleRNN, type GRULayerArgs, type LSTMLayerArgs, type SimpleRNNLayerArgs } from './recurrentLayers';
import { RNN, type RNNLayerArgs } from './rnnLayer';
import { StackedRNNCells, type StackedRNNCellsArgs } from './stackedRnnCells';
import { bidirectional } from './bidirectional';
import { attention } from './attention';
import { additiveAttention } from './additiveAttention';

export { RecurrentCellLayer, BasicCell } from './cellBase';
export type { SequencePlan, BasicCellArgs, GatedCellArgs } from './cellBase';
export { SimpleRNNCell, LSTMCell, GRUCell } from './cellLayers';
export type { SimpleRNNCellArgs, LSTMCellArgs, GRUCellArgs } from './cellLayers';
export { StackedRNNCells, deserializeCell } from './stackedRnnCells';
export type { StackedRNNCellsArgs } from './stackedRnnCells';
export { RNN } from './rnnLayer';
export type { RNNLayerArgs, RNNOptions, RNNCallArgs } from './rnnLayer';
export { SimpleRNN, LSTM, GRU } from './recurrentLayers';
export type { SimpleRNNLayerArgs, LSTMLayerArgs, GRULayerArgs } from './recurrentLayers';
export { rnnkitLayerClasses, registerRnnkitLayers, withRnnkitLayers } from './registry';
export type { LayerClassEntry } from './registry';

/** `layers.simpleRNN(args)`: a Keras-exact SimpleRNN layer. */
export const simpleRNN = (args: SimpleRNNLayerArgs): SimpleRNN => new SimpleRNN(args);
/** `layers.lstm(args)`: a Keras-exact LSTM layer. */
export const lstm = (args: LSTMLayerArgs): LSTM => new LSTM(args);
/** `layers.gru(args)`: a Keras-exact GRU layer (`resetAfter: true` by default). */
export const gru = (args: GRULayerArgs): GRU => new GRU(args);
/** `layers.rnn({ cell, ... })`: the generic RNN layer around a cell, an array of cells or StackedRNNCells. */
export const rnn = (args: RNNLayerArgs): RNN => new RNN(args);
/** `layers.simpleRNNCell(args)`. */
export const simpleRNNCell = (args: SimpleRNNCellArgs): SimpleRNNCell => new SimpleRNNCell(args);
/** `layers.lstmCell(args)`. */
export const lstmCell = (args: LSTMCellArgs): LSTMCell => new LSTMCell(args);
/** `layers.gruCell(args)`. */
export const gruCell = (args: GRUCellArgs): GRUCell => new GRUCell(args);
/** `layers.stackedRNNCells({ cells })`. */
export const stackedRNNCells = (args: StackedRNNCellsArgs): StackedRNNCells => new StackedRNNCells(args);

/** Layer factories, as `tf.layers` (other modules add `bidirectional`, `attention`, ...). */
export const layers = {
  simpleRNN,
  lstm,
  gru,
  rnn,
  simpleRNNCell,
  lstmCell,
  gruCell,
  stackedRNNCells,
  bidirectional,
  attention,
  additiveAttention,
};
