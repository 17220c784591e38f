// The WebAssembly GEMM (both builds) against a float64 reference, all transpose combinations, edge
// sizes around the 6x8 tile and the 256-deep K blocks, alpha/beta; plus the arena's memory staying flat.
import { gemm } from './gemm';
import { instantiateKernels, type KernelExports } from './wasm';
import { enableRelaxedSimdForTests } from './testing/relaxed';
import { lstmBackward, lstmForward } from './lstm';

function refGemm(a: Float32Array, b: Float32Array, c: Float32Array | undefined, M: number, N: number, K: number,
  tA: boolean, tB: boolean, alpha: number, beta: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (tA ? a[k * M + i]! : a[i * K + k]!) * (tB ? b[j * K + k]! : b[k * N + j]!);
      out[i * N + j] = alpha * s + (c && beta !== 0 ? beta * c[i * N + j]! : 0);
    }
  }
  return out;
}

function randArray(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

const SHAPES: [number, number, number][] = [[1, 1, 1], [1, 70, 300], [1, 64, 9], [6, 8, 1], [7, 9, 13], [12, 16, 256], [13, 17, 257], [97, 33, 70], [5, 130, 600], [32, 64, 128]];
const FLAVORS = enableRelaxedSimdForTests() ? (['simd', 'relaxed'] as const) : (['simd'] as const);

describe.each(FLAVORS)('gemm [%s]', (flavor) => {
  let k: KernelExports;
  beforeAll(() => {
    k = instantiateKernels(flavor);
  });
  for (const [M, N, K] of SHAPES) {
    it(`${M}x${N}x${K}, all transposes, alpha/beta`, () => {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const a = randArray(M * K, M + 3 * K);
          const b = randArray(K * N, N + 7 * K);
          const c = randArray(M * N, M * N);
          for (const [alpha, beta] of [[1, 0], [0.5, 2], [-1.5, 1]] as const) {
            const got = gemm(a, b, M, N, K, { transposeA: tA, transposeB: tB, alpha, beta, c }, k);
            const want = refGemm(a, b, c, M, N, K, tA, tB, alpha, beta);
            let err = 0;
            for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!));
            expect(err).toBeLessThan(1e-5 * Math.max(1, Math.sqrt(K)));
          }
        }
      }
    });
  }
  it('overwrites C when beta = 0 even if C holds NaN', () => {
    const got = gemm(new Float32Array([1, 2]), new Float32Array([3, 4]), 1, 1, 2, { beta: 0, c: new Float32Array([NaN]) }, k);
    expect(Array.from(got)).toEqual([11]);
  });
  it('K = 0 scales C by beta', () => {
    const got = gemm(new Float32Array(0), new Float32Array(0), 1, 2, 0, { beta: 2, c: new Float32Array([1, 3]) }, k);
    expect(Array.from(got)).toEqual([2, 6]);
  });
});

describe('WebAssembly memory', () => {
  it('stays flat over 10,000 kernel calls', () => {
    const k = instantiateKernels('simd');
    const d = { batch: 2, time: 3, inputDim: 4, units: 5 };
    const x = randArray(24, 1);
    const w = { kernel: randArray(80, 2), recurrentKernel: randArray(100, 3), bias: randArray(20, 4) };
    const step = () => {
      const f = lstmForward(x, w, d, { mask: new Float32Array([1, 0, 1, 1, 1, 0]) }, k);
      lstmBackward(f.saved, { dOutputs: f.outputs, dH: f.h }, k);
      gemm(x, w.kernel, 6, 20, 4, {}, k);
    };
    step();
    const bytes = k.memory.buffer.byteLength;
    for (let i = 0; i < 10000; i++) step();
    expect(k.memory.buffer.byteLength).toBe(bytes);
  });
});
