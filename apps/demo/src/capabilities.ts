// What the demo needs from the browser, checked before anything starts, so a missing feature gives a
// clear message instead of a silent failure.

export interface Missing {
  feature: string;
  why: string;
}

/** Features the page cannot work without. WebAssembly, WebGL and WebGPU are optional (CPU is the last resort). */
export function missingFeatures(g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): Missing[] {
  const out: Missing[] = [];
  const need = (ok: boolean, feature: string, why: string) => {
    if (!ok) out.push({ feature, why });
  };
  need(typeof g.Worker === 'function', 'Web Workers', 'the models run in a background worker so the page never freezes');
  need(typeof g.fetch === 'function', 'fetch', 'the models are downloaded from this site');
  need(typeof g.TextDecoder === 'function', 'TextDecoder', 'the model files are decoded as UTF-8');
  need(typeof g.ReadableStream === 'function', 'Streams', 'download progress is read from the response stream');
  need(typeof g.Float32Array === 'function' && typeof g.BigInt === 'function', 'ES2020 JavaScript', 'TensorFlow.js needs a modern JavaScript engine');
  return out;
}

/** The message shown when something is missing. */
export function missingMessage(missing: readonly Missing[]): string {
  const items = missing.map((m) => `${m.feature} (${m.why})`).join('; ');
  return `This browser lacks what the demo needs: ${items}. Please use a current version of Chrome, Edge, Firefox or Safari.`;
}

/** True when this engine has WebAssembly (optional: without it TensorFlow.js uses WebGL or plain JavaScript). */
export function hasWebAssembly(g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): boolean {
  return typeof g.WebAssembly === 'object' && g.WebAssembly !== null;
}
