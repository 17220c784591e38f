// Owns the layers' barrel: the recurrent layer classes, their factories gathered in `layers` (as
// `tf.layers`), and the class registry. Importing it loads registry.ts, which supplies the class table
// that deserialize.ts reads (see there).
import { simpleRNN, simpleRNNCell } from './simpleRnn';
import { lstm, lstmCell } from './lstm';
import { gru, gruCell } from './gru';
import { rnn } from './rnn';
import { stackedRNNCells } from './stackedRnnCells';
import { bidirectional } from './bidirectional';
import { attention } from './attention';
import { additiveAttention } from './additiveAttention';

export { RecurrentCellLayer, BasicCell } from './cellBase';
export type { SequencePlan, BasicCellArgs, GatedCellArgs } from './cellBase';
export { SimpleRNNCell, SimpleRNN } from './simpleRnn';
export type { SimpleRNNCellArgs, SimpleRNNLayerArgs } from './simpleRnn';
export { LSTMCell, LSTM } from './lstm';
export type { LSTMCellArgs, LSTMLayerArgs } from './lstm';
export { GRUCell, GRU } from './gru';
export type { GRUCellArgs, GRULayerArgs } from './gru';
export { StackedRNNCells } from './stackedRnnCells';
export type { StackedRNNCellsArgs } from './stackedRnnCells';
export { RNN } from './rnn';
export type { RNNLayerArgs, RNNOptions, RNNCallArgs } from './rnn';
export { deserializeLayer, deserializeCell } from './deserialize';
export { rnnkitLayerClasses, registerRnnkitLayers, withRnnkitLayers } from './registry';
export type { LayerClassEntry } from './registry';

/** Layer factories, as `tf.layers`. */
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
