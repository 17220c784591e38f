// Owns the gate table of the three Keras cells: gates per cell, states per cell and the bias shape
// (GRU resetAfter [2, 3u]). Read by the layers, the fused kernels and every weights-level caller.

/** The recurrent cells rnnkit runs fused or composite (Keras SimpleRNNCell, LSTMCell, GRUCell). */
export type RecurrentCellKind = 'simpleRnn' | 'lstm' | 'gru';

/** Gates per cell: kernel `[in, gates*u]`, recurrent kernel `[u, gates*u]` (LSTM i,f,c,o; GRU z,r,h). */
export const CELL_GATES: Readonly<Record<RecurrentCellKind, number>> = { simpleRnn: 1, lstm: 4, gru: 3 };

/** States per cell: `[h]`, or `[h, c]` for LSTM. */
export const CELL_STATES: Readonly<Record<RecurrentCellKind, number>> = { simpleRnn: 1, lstm: 2, gru: 1 };

/** Shape of the bias: `[gates*u]`, or `[2, 3u]` for a GRU with `resetAfter` (Keras's default, hence the default here). */
export function cellBiasShape(kind: RecurrentCellKind, units: number, resetAfter = true): number[] {
  const width = CELL_GATES[kind] * units;
  return kind === 'gru' && resetAfter ? [2, width] : [width];
}
