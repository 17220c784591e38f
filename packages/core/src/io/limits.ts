// What a model file may ask of the loader: caps on model.json (bytes, nesting) and on the weights a
// manifest declares, and the bounded JSON parse that enforces them. A hostile or corrupt model.json
// is refused with an RnnkitError before anything of its declared size is allocated.
import { RnnkitError } from '../errors';

/** Largest JSON file (model.json, vocabularies, BPE models) a loader reads: 64 MiB. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** Deepest nesting of arrays / objects accepted in a model.json (Keras topologies use about 20). */
export const MAX_JSON_DEPTH = 128;
/** Most weight elements (all entries together) a manifest may declare: 2^31. */
export const MAX_WEIGHT_ELEMENTS = 2 ** 31;

/**
 * The nesting depth of a JSON text, scanned without parsing (strings and escapes skipped), stopping
 * as soon as it passes `limit`. Linear time, constant memory.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Parses the JSON text of a model file with a size and a nesting cap: `INVALID_MODEL` for text
 * longer than {@link MAX_JSON_BYTES} UTF-16 units, nested deeper than {@link MAX_JSON_DEPTH}, or not JSON.
 */
export function parseModelJson(text: string, where: string): unknown {
  if (text.length > MAX_JSON_BYTES) {
    throw new RnnkitError('INVALID_MODEL', `Expected ${where} to be at most ${MAX_JSON_BYTES} bytes. Received: ${text.length} characters`);
  }
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new RnnkitError('INVALID_MODEL', `Expected ${where} to nest at most ${MAX_JSON_DEPTH} levels deep. Received: more than ${MAX_JSON_DEPTH}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new RnnkitError('INVALID_MODEL', `Expected ${where} to hold JSON. Received: ${text.length} characters that do not parse`, { cause });
  }
}

/** Nesting depth of a parsed value, walked without recursion, stopping past `limit`. */
export function valueDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v == null || typeof v !== 'object') continue;
    if (d > max) {
      max = d;
      if (max > limit) return max;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child != null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return max;
}
