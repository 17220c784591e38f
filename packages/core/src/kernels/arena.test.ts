// The kernel arena's step kernels against float64 references (GEMM on packed weights, GRU / LSTM steps,
// row gathers, attention with masks, tanh, log-softmax), and its caching, pooling and flat memory.
import { KernelArena, type ArenaRows } from './arena';
import { refForward, type RefCell } from './testing/reference';
import { enableRelaxedSimdForTests } from './testing/relaxed';
import { resetKernels } from './wasm';

const FLAVORS = enableRelaxedSimdForTests() ? (['simd', 'relaxed'] as const) : (['simd'] as const);

function rand(n: number, seed: number, scale = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * scale;
  });
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  expect(worst).toBeLessThanOrEqual(tol);
}

const at = (ptr: number, stride: number): ArenaRows => ({ ptr, stride });

describe.each(FLAVORS)('KernelArena step kernels [%s]', (flavor) => {
  let a: KernelArena;
  beforeAll(() => resetKernels(flavor));
  afterAll(() => resetKernels(null));
  beforeEach(() => {
    a = KernelArena.acquire();
    expect(a.flavor).toBe(flavor);
  });
  afterEach(() => a.release());

  it('gemm on packed weights: float64 products, rows independent of M, beta accumulates', () => {
    const [M, N, K] = [7, 37, 300];
    const A = rand(M * K, 1);
    const B = rand(K * N, 2);
    const pA = a.put(A);
    const packed = a.packB(false, K, N, a.put(B), N);
    const pC = a.alloc(M * N);
    a.gemm(M, N, K, at(pA, K), packed, 0, at(pC, N));
    const ref = new Float64Array(M * N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) ref[i * N + j]! += A[i * K + k]! * B[k * N + j]!;
    expectClose(a.f32(pC, M * N), ref, 1e-5);
    const full = a.f32(pC, M * N).slice();
    const pRow = a.alloc(N);
    a.gemm(1, N, K, at(pA + 3 * K * 4, K), packed, 0, at(pRow, N));
    expect(Array.from(a.f32(pRow, N))).toEqual(Array.from(full.subarray(3 * N, 4 * N))); // bit for bit
    a.gemm(M, N, K, at(pA, K), a.packB(true, K, N, a.put(transpose(B, K, N)), K), 1, at(pC, N));
    expectClose(a.f32(pC, M * N), ref.map((x) => 2 * x), 2e-5);
    // packed into a buffer reserved earlier, the raw copy freed afterwards
    const dst = a.allocBytes(a.packedBytes(K, N));
    const keep = a.mark();
    a.packB(false, K, N, a.put(B), N, dst);
    a.resetTo(keep);
    expect(a.mark()).toBe(keep);
    a.gemm(M, N, K, at(pA, K), dst, 0, at(pC, N));
    expect(Array.from(a.f32(pC, M * N))).toEqual(Array.from(full));
    expect(() => a.resetTo(keep + 64)).toThrow(RangeError);
  });

  it.each(['gru', 'lstm'] as const)('%s step equals the float64 Keras step, h written to a strided output', (cell) => {
    const [B, I, U] = [3, 5, 6];
    const G = (cell === 'gru' ? 3 : 4) * U;
    const kernel = rand(I * G, 3);
    const rec = rand(U * G, 4);
    const bias = rand(cell === 'gru' ? 2 * G : G, 5);
    const x = rand(B * I, 6);
    const h0 = rand(B * U, 7);
    const c0 = rand(B * U, 8);
    const ref = refForward(cell as RefCell, {
      kernel: Float64Array.from(kernel), recurrentKernel: Float64Array.from(rec), bias: Float64Array.from(bias), x: Float64Array.from(x),
      h0: Float64Array.from(h0), c0: Float64Array.from(c0),
    }, { B, T: 1, I, U });
    const xg = a.alloc(B * G);
    const pRec = a.alloc(B * G);
    const pH = a.put(h0);
    const pC = a.put(c0);
    const out = a.alloc(B * 2 * U);
    const pBias = a.put(bias);
    a.gemm(B, G, I, at(a.put(x), I), a.packB(false, I, G, a.put(kernel), G), 0, at(xg, G));
    a.addRow(B, G, at(xg, G), pBias);
    const packedRec = a.packB(false, U, G, a.put(rec), G);
    if (cell === 'gru') {
      a.gemm(B, G, U, at(pH, U), packedRec, 0, at(pRec, G));
      a.gruStep(B, U, at(xg, G), at(pRec, G), pBias + G * 4, pH, at(out, 2 * U));
    } else {
      a.gemm(B, G, U, at(pH, U), packedRec, 1, at(xg, G));
      a.lstmStep(B, U, at(xg, G), pC, pH, at(out, 2 * U));
      expectClose(a.f32(pC, B * U), ref.c, 1e-5);
    }
    expectClose(a.f32(pH, B * U), ref.h, 1e-5);
    const o = a.f32(out, B * 2 * U);
    for (let b = 0; b < B; b++) expectClose(o.subarray(b * 2 * U, b * 2 * U + U), ref.h.subarray(b * U, (b + 1) * U), 1e-5);
  });

  it('gathers and scatters rows by index (repeats allowed)', () => {
    const table = a.put(Float32Array.from({ length: 12 }, (_, i) => i)); // 4 rows x 3
    const ids = a.alloc(3);
    a.i32(ids, 3).set([2, 0, 2]);
    const dst = a.alloc(3 * 4);
    a.f32(dst, 12).fill(0); // arena memory is not cleared between users
    a.gatherRows(3, 3, at(table, 3), ids, at(dst, 4));
    expect(Array.from(a.f32(dst, 11))).toEqual([6, 7, 8, 0, 0, 1, 2, 0, 6, 7, 8]);
    a.i32(ids, 2).set([3, 1]);
    a.scatterRows(2, 3, at(a.put(Float32Array.from([-1, -2, -3, -4, -5, -6])), 3), ids, at(table, 3));
    expect(Array.from(a.f32(table, 12))).toEqual([0, 1, 2, -4, -5, -6, 6, 7, 8, -1, -2, -3]);
  });

  it.each(['dot', 'additive'] as const)('%s attention: each row over its own source, padding masked, weights and context', (kind) => {
    const [R, S, H, sources] = [4, 5, 6, 2];
    const q = rand(R * 2 * H, 9); // rows of stride 2H: query in the first half
    const keys = rand(sources * S * H, 10, 4);
    const values = rand(sources * S * H, 11);
    const v = rand(H, 12);
    const mask = Float32Array.from([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
    const srcOf = [1, 0, 0, 1];
    const pQ = a.put(q);
    const pSrc = a.alloc(R);
    a.i32(pSrc, R).set(srcOf);
    const w = a.alloc(R * S);
    a.attention({
      rows: R, srcLen: S, units: H, query: at(pQ, 2 * H), keys: a.put(keys), values: a.put(values), srcOf: pSrc, mask: a.put(mask),
      weights: at(w, S), context: at(pQ + H * 4, 2 * H), ...(kind === 'additive' ? { additiveV: a.put(v) } : {}),
    });
    const got = a.f32(pQ, R * 2 * H);
    for (let r = 0; r < R; r++) {
      const b = srcOf[r] as number;
      const scores = Array.from({ length: S }, (_, s) => {
        let x = 0;
        for (let j = 0; j < H; j++) {
          const qj = q[r * 2 * H + j] as number;
          const kj = keys[(b * S + s) * H + j] as number;
          x += kind === 'dot' ? qj * kj : (v[j] as number) * Math.tanh(qj + kj);
        }
        return mask[b * S + s] ? x : x - 1e9;
      });
      const m = Math.max(...scores);
      const e = scores.map((x) => Math.exp(x - m));
      const z = e.reduce((s, x) => s + x, 0);
      const weights = e.map((x) => x / z);
      expectClose(a.f32(w + r * S * 4, S), weights, 1e-6);
      const ctx = Array.from({ length: H }, (_, j) => weights.reduce((s, ws, t) => s + ws * (values[(b * S + t) * H + j] as number), 0));
      expectClose(got.subarray(r * 2 * H + H, (r + 1) * 2 * H), ctx, 1e-6);
      expectClose(got.subarray(r * 2 * H, r * 2 * H + H), q.subarray(r * 2 * H, r * 2 * H + H), 0); // query untouched
    }
  });

  it('top k of each row: descending, ties by lower index, -Infinity skipped, padded', () => {
    const V = 37;
    const x = Float32Array.from(rand(3 * V, 15), (v) => Math.round(v * 8) / 8); // many ties
    for (let j = 0; j < V; j++) x[2 * V + j] = j % 5 === 0 ? 1 : -Infinity; // row 2: 8 finite values
    const k = 10;
    const p = a.put(x);
    const ids = a.alloc(3 * k);
    const vals = a.alloc(3 * k);
    a.topK(3, V, at(p, V), k, ids, vals);
    for (let r = 0; r < 3; r++) {
      const order = Array.from({ length: V }, (_, j) => j).filter((j) => (x[r * V + j] as number) > -Infinity)
        .sort((i, j) => (x[r * V + j] as number) - (x[r * V + i] as number) || i - j).slice(0, k);
      const want = [...order, ...new Array<number>(k - order.length).fill(-1)];
      expect(Array.from(a.i32(ids + r * k * 4, k))).toEqual(want);
      expect(Array.from(a.f32(vals + r * k * 4, k))).toEqual(want.map((j) => (j < 0 ? -Infinity : (x[r * V + j] as number))));
    }
  });

  it('tanh in place', () => {
    const x = rand(3 * 7, 13, 8);
    const p = a.put(x);
    a.tanh(3, 7, at(p, 7));
    expectClose(a.f32(p, 21), Array.from(x, Math.tanh), 1e-6);
  });

  it('log-softmax rows: float64 values, normalized even when most of the mass is in tiny terms', () => {
    const V = 5003;
    const x = rand(2 * V, 14, 30); // logits spread over [-15, 15]
    x[17] = 40; // one dominant term: an f32 sum would round the tail away
    const p = a.put(x);
    a.logSoftmax(2, V, at(p, V));
    const got = a.f32(p, 2 * V);
    for (let r = 0; r < 2; r++) {
      const row = Array.from(x.subarray(r * V, (r + 1) * V));
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      expectClose(got.subarray(r * V, (r + 1) * V), row.map((v) => v - lse), 4e-6);
      const total = Array.from(got.subarray(r * V, (r + 1) * V)).reduce((s, v) => s + Math.exp(v), 0);
      expect(Math.abs(total - 1)).toBeLessThan(1e-6);
    }
  });
});

describe('KernelArena pool and cache', () => {
  it('builds a cached value once per key, keeps it across releases, rebuilds when the key changes', () => {
    const k1 = [{}, {}];
    const load = jest.fn((a: KernelArena) => a.put(Float32Array.from([1, 2, 3])));
    const a = KernelArena.acquire(k1);
    const p = a.cached(k1, () => load(a));
    a.release();
    const b = KernelArena.acquire([...k1]); // equal element by element
    expect(b).toBe(a);
    expect(b.cached([...k1], () => load(b))).toBe(p);
    expect(Array.from(b.f32(p, 3))).toEqual([1, 2, 3]);
    expect(load).toHaveBeenCalledTimes(1);
    b.cached([k1[0], {}], () => load(b));
    expect(load).toHaveBeenCalledTimes(2);
    b.release();
  });

  it('hands out distinct arenas to simultaneous users and keeps memory flat over repeated use', () => {
    const key = [{}];
    const use = () => {
      const a = KernelArena.acquire(key);
      const b = KernelArena.acquire(key);
      expect(a).not.toBe(b);
      for (const x of [a, b]) {
        x.cached(key, () => x.alloc(10000));
        const p = x.alloc(50000);
        x.logSoftmax(10, 5000, at(p, 5000));
      }
      a.release();
      b.release();
      return a.memoryBytes + b.memoryBytes;
    };
    const bytes = use();
    for (let i = 0; i < 50; i++) expect(use()).toBe(bytes);
  });
});

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j] as number;
  return t;
}
