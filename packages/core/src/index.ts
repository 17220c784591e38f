// @rnnkit/core public API. Named exports only, listed explicitly; each section is owned by one module.

// --- errors
export { RnnkitError, isRnnkitError } from './errors';
export type { RnnkitErrorCode, RnnkitErrorOptions } from './errors';

// --- cells and the time loop (src/cells, src/rnn.ts)

// --- layers (src/layers)

// --- model I/O and Keras import (src/io)

// --- training utilities (src/training)

// --- backends (src/backend.ts)
