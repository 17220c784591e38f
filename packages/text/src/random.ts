// A small seeded PRNG (mulberry32) and a Fisher–Yates shuffle: same seed, same order, on every platform.

/** A function returning uniform floats in [0, 1). */
export type Rng = () => number;

/** Creates a deterministic PRNG (mulberry32) from a 32-bit integer seed. */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a shuffled copy of `items` (Fisher–Yates) using `seed` or an {@link Rng}. */
export function shuffle<T>(items: readonly T[], seed: number | Rng): T[] {
  const rng = typeof seed === 'function' ? seed : createRng(seed);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i] as T;
    out[i] = out[j] as T;
    out[j] = t;
  }
  return out;
}
