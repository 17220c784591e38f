import { hasWebAssembly, missingFeatures, missingMessage } from './capabilities';

describe('missingFeatures', () => {
  it('finds nothing missing in an environment with workers, fetch, streams and TextDecoder', () => {
    const g = { Worker: function Worker() {}, fetch: () => undefined, TextDecoder, ReadableStream, Float32Array, BigInt, WebAssembly };
    expect(missingFeatures(g)).toEqual([]);
    expect(hasWebAssembly(g)).toBe(true);
  });

  it('names each missing feature and why the demo needs it', () => {
    const missing = missingFeatures({ fetch: () => undefined, TextDecoder, ReadableStream, Float32Array, BigInt });
    expect(missing.map((m) => m.feature)).toEqual(['Web Workers']);
    expect(missingMessage(missing)).toMatch(/Web Workers \(the models run in a background worker/);
    expect(hasWebAssembly({})).toBe(false);
  });
});
