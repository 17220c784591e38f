// Test helpers shared by the core tests: run a suite on each CPU backend, compare numbers, check leaks.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export type TestBackend = 'cpu' | 'wasm';
export const TEST_BACKENDS: TestBackend[] = ['cpu', 'wasm'];

/** Runs `suite` once per backend inside a `describe(<backend>)`, with the backend active. */
export function describeBackends(name: string, suite: (backend: TestBackend) => void, backends = TEST_BACKENDS): void {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      beforeAll(async () => {
        await tf.setBackend(backend);
        await tf.ready();
      });
      suite(backend);
    });
  }
}

type Nested = number | Nested[];

function flatten(x: Nested | Float32Array | tf.Tensor): number[] {
  if (x instanceof tf.Tensor) return Array.from(x.dataSync());
  if (x instanceof Float32Array) return Array.from(x);
  if (typeof x === 'number') return [x];
  return x.flatMap((v) => flatten(v));
}

/** Asserts equal shapes (when `actual` is a tensor and `expected` nested) and max |a-e| <= tol. */
export function expectClose(actual: tf.Tensor | Nested | Float32Array, expected: tf.Tensor | Nested | Float32Array, tol = 1e-5): void {
  if (actual instanceof tf.Tensor && Array.isArray(expected)) {
    const shape: number[] = [];
    let e: Nested = expected;
    while (Array.isArray(e)) {
      shape.push(e.length);
      e = e[0] as Nested;
    }
    expect(actual.shape).toEqual(shape);
  }
  const a = flatten(actual);
  const b = flatten(expected);
  expect(a.length).toBe(b.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  if (!(worst <= tol)) {
    throw new Error(`max |actual - expected| = ${worst} at flat index ${at} (actual ${a[at]}, expected ${b[at]}), tolerance ${tol}`);
  }
}

/** Runs `fn` `times` times (after one warm-up call) and asserts that the number of live tensors stays flat. */
export async function expectNoLeak(fn: () => unknown, times = 20): Promise<void> {
  const dispose = (r: unknown) => {
    if (r instanceof tf.Tensor) r.dispose();
    else if (Array.isArray(r)) r.forEach(dispose);
  };
  dispose(await fn());
  const before = tf.memory().numTensors;
  for (let i = 0; i < times; i++) dispose(await fn());
  expect(tf.memory().numTensors).toBe(before);
}
