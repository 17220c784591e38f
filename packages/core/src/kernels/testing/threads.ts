// Test-only: the set-up of a describe block that compares the two-thread kernels with one thread.
import { setMinSplitBatch } from '../rowSplit';
import { disableThreads, enableThreads } from '../threads';
import { instantiateKernels, kernelFlavor, type KernelExports } from '../wasm';

/**
 * For the enclosing describe block: two threads on, every batch of 2 rows or more split, and a separate
 * one-thread kernel instance to compare with (the returned getter gives it once `beforeAll` has run).
 */
export function twoThreadsAgainstOne(): () => KernelExports {
  let single: KernelExports | null = null;
  let prevMin = 0;
  beforeAll(() => {
    expect(enableThreads()).toBe(true);
    prevMin = setMinSplitBatch(2);
    single = instantiateKernels(kernelFlavor());
  });
  afterAll(() => {
    setMinSplitBatch(prevMin);
    disableThreads();
  });
  return () => single as KernelExports;
}
