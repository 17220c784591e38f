// Fused CPU kernels (WebAssembly SIMD): public surface used by the layers and exported by @rnnkit/core.
export { fusedLstmSequence, fusedGruSequence, fusedSimpleRnnSequence } from './ops';
export type { FusedSequenceOptions, FusedSequenceResult } from './ops';
export {
  setKernelMode, getKernelMode, fusedKernelsAvailable, fusedActivationsSupported, shouldUseFusedKernels,
} from './mode';
export type { KernelMode, FusedCellConfig } from './mode';
export { initKernels, kernelFlavor, relaxedSimdSupported, setRelaxedSimd, tryEnableRelaxedSimd } from './wasm';
export type { SimdFlavor } from './wasm';
export { gemm } from './gemm';
export type { GemmOptions } from './gemm';
export { lstmForward, lstmBackward } from './lstm';
export type { LstmWeights, LstmSaved, LstmForwardResult, LstmGradients } from './lstm';
export { gruForward, gruBackward } from './gru';
export type { GruWeights, GruSaved, GruForwardResult, GruGradients } from './gru';
export { simpleRnnForward, simpleRnnBackward } from './simpleRnn';
export type { SimpleRnnWeights, SimpleRnnSaved, SimpleRnnForwardResult, SimpleRnnGradients } from './simpleRnn';
export type { SequenceDims, SequenceOptions, SequenceGrads } from './sequence';
export { fusedDenseSoftmaxCrossEntropy, denseSoftmaxCrossEntropy } from './dense';
export type { SoftmaxXentOptions, SoftmaxXentResult } from './dense';
export { fusedEmbeddingLookup, embeddingGradRows, rowSparseGradientRows, markRowSparse } from './embedding';
export type { SparseRows } from './embedding';
export { fusedMatMul } from './matmul';
export { enableThreads, disableThreads, threadsEnabled } from './threads';
export { KernelArena } from './arena';
export { SharedPackedProduct } from './sharedProduct';
export type { ArenaRows, ArenaAttention } from './arena';
