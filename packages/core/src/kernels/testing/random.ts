// Test-only: seeded arrays for the kernel tests (a 32-bit LCG, the same sequence in every test that uses it).

/** n values uniform in [-0.5, 0.5) from `seed`, or (binary) 1 with probability 0.7 and 0 otherwise. */
export function randArray(n: number, seed: number, binary = false): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    const u = s / 4294967296;
    return binary ? (u < 0.7 ? 1 : 0) : u - 0.5;
  });
}
