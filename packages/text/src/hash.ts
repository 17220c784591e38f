// A small, dependency-free, deterministic 64-bit string hash (two FNV-1a-style lanes), for fingerprints.

/** Hashes strings (each followed by a separator) to 16 hex digits. Same input, same output, on every platform. */
export function hashStrings(parts: Iterable<string>): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const feed = (c: number) => {
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  };
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) feed(part.charCodeAt(i));
    feed(0x1f); // unit separator: ["ab","c"] and ["a","bc"] differ
    feed(part.length & 0xffff);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return hex(h1) + hex(h2);
}
