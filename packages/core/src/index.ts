// @rnnkit/core public API. Named exports only, listed explicitly; each section is owned by one module.

// --- errors
export { RnnkitError, isRnnkitError } from './errors';
export type { RnnkitErrorCode, RnnkitErrorOptions } from './errors';

// --- cells and the time loop (src/cells, src/rnn.ts)
export { getActivation, canonicalActivationName, ACTIVATION_NAMES } from './cells/activations';
export type { ActivationFn, ActivationName, ActivationIdentifier } from './cells/activations';
export { RNN_DEFAULTS } from './cells/defaults';
export { projectInputs, projectStep } from './cells/common';
export type { CellStepOptions } from './cells/common';
export { simpleRnnStep, simpleRnnProjectInputs, simpleRnnRecurrentStep } from './cells/simpleRnn';
export type { SimpleRnnParams, SimpleRnnState } from './cells/simpleRnn';
export { lstmStep, lstmProjectInputs, lstmRecurrentStep } from './cells/lstm';
export type { LstmParams, LstmState } from './cells/lstm';
export { gruStep, gruPrepare, gruProjectInputs, gruRecurrentStep } from './cells/gru';
export type { GruParams, GruState, GruPrepared } from './cells/gru';
export { rnn } from './rnn';
export type { RnnStepFunction, RnnOptions, RnnResult } from './rnn';

// --- the one recurrence entry: a cell (or stack) over a sequence, fused or composite (src/recurrence)
export { runRecurrence, runCellSequence, runCellStep } from './recurrence/run';
export type { RecurrenceOptions, SequenceCell, CellSequenceOptions, CellSequenceResult, CellStepRunOptions } from './recurrence/run';
export { CELL_GATES, CELL_STATES, cellBiasShape } from './recurrence/gates';
export type { RecurrentCellKind } from './recurrence/gates';
export type { CellWeights, CellRun, DropoutMasks } from './recurrence/composite';
export { gradientsRecorded } from './tape';

// --- layers (src/layers)
export {
  layers, RecurrentCellLayer, BasicCell, SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells, deserializeCell,
  RNN, SimpleRNN, LSTM, GRU, rnnkitLayerClasses, registerRnnkitLayers, withRnnkitLayers,
} from './layers/index';
export type {
  SequencePlan, BasicCellArgs, GatedCellArgs, SimpleRNNCellArgs, LSTMCellArgs, GRUCellArgs, StackedRNNCellsArgs,
  RNNLayerArgs, RNNOptions, RNNCallArgs, SimpleRNNLayerArgs, LSTMLayerArgs, GRULayerArgs, LayerClassEntry,
} from './layers/index';

export { Bidirectional, bidirectional, MERGE_MODES } from './layers/bidirectional';
export type { BidirectionalLayerArgs, BidirectionalCallArgs, MergeMode, RecurrentLayer } from './layers/bidirectional';
export { resetStates } from './layers/resetStates';

// --- model I/O and Keras import (src/io)
export {
  loadLayersModel, modelFromArtifacts, fileSystem, saveLayersModel, modelFolderFiles, writeFolderAtomic, MODEL_JSON, normalizeTopology, collectLayerClassNames,
  decodeStoredWeights, weightsByteLength, installMaskedPredict, runMaskedGraph, folderModelFiles, urlModelFiles, isModelUrl, modelBaseUrl,
  quantizeArtifacts, quantizeWeights, toFloat16Bits, checkRelativePath, checkWeightsManifest, readManifestWeights,
  MAX_JSON_BYTES, MAX_JSON_DEPTH, MAX_WEIGHT_ELEMENTS, parseModelJson, checkFiniteWeights, locateShippedModel, shippedAssets, firstInvalidByte,
} from './io/index';
export type {
  ModelSource, LoadLayersModelOptions, CustomObjects, NormalizedTopology, TopologyFlavor, Json, JsonObject, StoredWeight, ModelFiles, FetchModelOptions, Quantization,
  ShippedModel, FolderFiles, WriteFolderOptions,
} from './io/index';
export { readSafetensors, decodeSafetensors, parseSafetensorsHeader } from './io/safetensors';
export type { SafetensorsEntry } from './io/safetensors';
export { readKerasModel, detectModelFormat } from './io/keras/index';
export type { ModelBytes, FetchOptions, ModelFileFormat } from './io/keras/index';

// --- PyTorch import (src/torch)
export { torchLayers, torchSequential } from './torch/index';
export type {
  TorchRecurrentMode, TorchRecurrentOptions, TorchForwardOptions, TorchForwardResult, TorchRecurrent, TorchEmbeddingOptions, TorchLinearOptions, StateDict, TorchModelSpec, TorchModuleSpec,
} from './torch/index';

export { Attention, attention, BaseDenseAttention, attentionScores, attendScores, scoreMask, applyScoreMask, MASK_PENALTY } from './layers/attention';
export type { AttentionArgs, BaseAttentionArgs, AttentionScoreMode, AttentionScoreOptions } from './layers/attention';
export { AdditiveAttention, additiveAttention } from './layers/additiveAttention';
export type { AdditiveAttentionArgs } from './layers/additiveAttention';

// --- training utilities (src/training)
export { clipByGlobalNorm, clipByNorm, clipByValue, globalNorm, withGradientClipping, ClippedOptimizer } from './training/clip';
export type { Gradients, NamedGradient, ClipByGlobalNormResult, GradientClippingOptions } from './training/clip';
export { Adam, adam } from './training/adam';
export { LazyAdam, lazyAdam } from './training/lazyAdam';
export type { LazyAdamArgs } from './training/lazyAdam';

// --- fused CPU kernels, WebAssembly SIMD (src/kernels)
export {
  fusedLstmSequence, fusedGruSequence, fusedSimpleRnnSequence, setKernelMode, getKernelMode, fusedKernelsAvailable,
  fusedActivationsSupported, shouldUseFusedKernels, initKernels, kernelFlavor, relaxedSimdSupported, setRelaxedSimd, tryEnableRelaxedSimd,
  fusedDenseSoftmaxCrossEntropy, fusedEmbeddingLookup, embeddingGradRows, rowSparseGradientRows, markRowSparse, fusedMatMul,
  enableThreads, disableThreads, threadsEnabled,
} from './kernels/index';
export type { FusedSequenceOptions, FusedSequenceResult, KernelMode, FusedCellConfig, SimdFlavor } from './kernels/index';
export { KernelArena, SharedPackedProduct } from './kernels/index';
export { startThreads, threadsWanted, workerJobs } from './kernels/threads';
export type { ArenaRows, ArenaAttention } from './kernels/index';

// --- Node built-ins for file helpers (src/platform: node.ts in the Node build, browser.ts in the browser build)
export { nodeModules } from './platform/node';
export type { NodeModules } from './platform/types';

// --- backends (src/backend.ts)
export { initBackend, ensureBackend, NODE_BACKEND_ORDER, BROWSER_BACKEND_ORDER } from './backend';
export type { BackendName, InitBackendOptions } from './backend';
