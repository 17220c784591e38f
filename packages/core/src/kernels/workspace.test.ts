// The workspace's growth: past what the engine allows it fails with OUT_OF_MEMORY (not a RangeError from
// inside) and stays usable; the two-thread build's shared memory reaches past the 1 GiB it was once capped at.
import { isRnnkitError } from '../errors';
import { disableThreads, enableThreads, threadsEnabled } from './threads';
import { instantiateKernels, kernelFlavor, kernels } from './wasm';
import { workspaceOf } from './gemm';
import { Workspace } from './workspace';

describe('Workspace growth', () => {
  it('refuses more than the 4 GiB of a 32-bit memory with OUT_OF_MEMORY and stays usable', () => {
    const ws = new Workspace(instantiateKernels(kernelFlavor()));
    ws.reset();
    let err: unknown;
    try {
      ws.allocBytes(5 * 2 ** 30);
    } catch (e) {
      err = e;
    }
    expect(isRnnkitError(err, 'OUT_OF_MEMORY')).toBe(true);
    expect((err as Error).message).toMatch(/Expected the kernels' WebAssembly memory to grow to \d+ MiB/);
    const p = ws.allocBytes(1024);
    expect(p + 1024).toBeLessThanOrEqual(ws.k.memory.buffer.byteLength);
  });

  it('grows the two-thread build\'s shared memory past 1 GiB', () => {
    expect(enableThreads()).toBe(true);
    try {
      expect(threadsEnabled()).toBe(true);
      const ws = workspaceOf(kernels());
      ws.reset();
      ws.allocBytes(1.25 * 2 ** 30);
      expect(kernels().memory.buffer.byteLength).toBeGreaterThan(2 ** 30);
    } finally {
      disableThreads();
    }
  });
});
