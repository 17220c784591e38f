// SharedPackedProduct: an arena's packed product on the two threads equals the arena's own, bit for bit.
import { KernelArena } from './arena';
import { SharedPackedProduct } from './sharedProduct';
import { disableThreads, enableThreads, workerJobs } from './threads';
import { workspaceOf } from './gemm';
import { kernels } from './wasm';

const vals = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + seed) * 0.5);

describe('SharedPackedProduct', () => {
  afterEach(() => disableThreads());

  it.each([[40, 1001, 256], [7, 2150, 300], [33, 300, 520]])('M=%i N=%i K=%i: equals the arena\'s product, the worker computing half', (M, N, K) => {
    expect(enableThreads()).toBe(true);
    const arena = KernelArena.acquire();
    try {
      const b = arena.put(vals(K * N, 1));
      const packed = arena.packB(false, K, N, b, N);
      const strideA = K + 3; // rows with a stride wider than K, as the decoder's
      const a = arena.put(vals(M * strideA, 2));
      const want = arena.alloc(M * N);
      arena.gemm(M, N, K, { ptr: a, stride: strideA }, packed, 0, { ptr: want, stride: N });
      const shared = SharedPackedProduct.create(arena, packed, K, N) as SharedPackedProduct;
      expect(shared).not.toBeNull();
      const kept = workspaceOf(kernels()).keptBytes;
      const got = arena.alloc(M * N);
      const jobs = workerJobs();
      expect(shared.run(arena, M, { ptr: a, stride: strideA }, { ptr: got, stride: N })).toBe(true);
      expect(workerJobs() - jobs).toBe(1);
      expect(Array.from(arena.f32(got, M * N))).toEqual(Array.from(arena.f32(want, M * N)));
      shared.dispose();
      shared.dispose();
      expect(workspaceOf(kernels()).keptBytes).toBeLessThan(kept);
      expect(shared.run(arena, M, { ptr: a, stride: strideA }, { ptr: got, stride: N })).toBe(false); // disposed
    } finally {
      arena.release();
    }
  });

  it('is not made on one thread, and declines products too small for the hand-off', () => {
    const arena = KernelArena.acquire();
    try {
      const packed = arena.packB(false, 8, 64, arena.put(vals(8 * 64, 3)), 64);
      expect(SharedPackedProduct.create(arena, packed, 8, 64)).toBeNull(); // threads off
      expect(enableThreads()).toBe(true);
      const shared = SharedPackedProduct.create(arena, packed, 8, 64) as SharedPackedProduct;
      const a = arena.put(vals(2 * 8, 4));
      const c = arena.alloc(2 * 64);
      expect(shared.run(arena, 2, { ptr: a, stride: 8 }, { ptr: c, stride: 64 })).toBe(false); // 1k multiply-adds
      disableThreads();
      shared.dispose();
    } finally {
      arena.release();
    }
  });
});
