// The fingerprints of text artifacts: small, dependency-free, deterministic 64-bit string hashes (two
// FNV-1a-style lanes). Two variants, because saved models store both and must keep matching: the
// vocabulary's (`hashStrings`, separated parts, a mixing step) and the BPE model's (`bpeFingerprint`,
// the JSON as one string, moved here unchanged from @rnnkit/seq2seq).

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

/**
 * A stable fingerprint of a BPE model: FNV-1a over its JSON in two 32-bit lanes, as `bpe1-` and 16 hex
 * digits. Saved seq2seq models (the shipped en->fr one included) store it, so the output never changes.
 */
export function bpeFingerprint(bpe: { toJSON(): unknown }): string {
  const s = JSON.stringify(bpe.toJSON());
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
    h2 = Math.imul(h2 ^ c, 2246822519) >>> 0;
  }
  return `bpe1-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}
