// Entry point of the rnnkit WebAssembly kernels (built twice: plain SIMD and relaxed SIMD).
export { gemm, gemmPacked, packB, packedBBytes, gemmScratchBytes, setTile } from './gemm';

/** The edge tile of a second thread sharing this memory (256 bytes after the static data). */
export function workerTile(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/** First free byte after the static data and the second thread's tile; the JS workspace allocates from here. */
export function heapBase(): usize {
  return workerTile() + 256;
}
export { mulRows, addMulRows, fillRows, colSum } from './rows';
export { lstmForwardStep, lstmBackwardStep } from './lstm';
export { gruForwardStep, gruBackwardStep, gruV1ForwardGates, gruV1ForwardOut, gruV1BackwardA, gruV1BackwardReset } from './gru';
export { rnnForwardStep, rnnBackwardStep } from './simpleRnn';
export { softmaxXentRows } from './softmax';
export { gatherRows, scatterRows, dotAttention, additiveAttention, tanhRows, logSoftmaxRows, topKRows } from './decode';
export { adamUpdate } from './optim';
