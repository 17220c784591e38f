// Entry point of the rnnkit WebAssembly kernels (built twice: plain SIMD and relaxed SIMD).
export { gemm, gemmPacked, packB, packedBBytes, gemmScratchBytes, setTile } from './gemm';

/** First free byte after the module's static data; the JS workspace allocates from here. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}
export { mulRows, addMulRows, fillRows, colSum } from './rows';
export { lstmForwardStep, lstmBackwardStep } from './lstm';
export { gruForwardStep, gruBackwardStep, gruV1ForwardGates, gruV1ForwardOut, gruV1BackwardA, gruV1BackwardReset } from './gru';
export { rnnForwardStep, rnnBackwardStep } from './simpleRnn';
export { softmaxXentRows } from './softmax';
