// The layer classes the loader builds models with: the caller's, rnnkit's (src/layers/registry.ts,
// attention layers included), then stock tfjs's. They are passed as customObjects and, because
// tfjs 4.22's nested lookup (Sequential's layers, wrapped layers) ignores customObjects, also placed
// in tfjs's serialization map for the (synchronous) duration of one deserialization.
import * as tf from '@tensorflow/tfjs';
import { rnnkitLayerClasses } from '../layers/registry';

/** A `customObjects` map: className -> [class, fromConfig]. */
export type CustomObjects = tf.serialization.ConfigDict;

/** rnnkit's classes overlaid with the caller's. */
export function ioCustomObjects(extra: CustomObjects = {}): CustomObjects {
  return { ...(rnnkitLayerClasses() as unknown as CustomObjects), ...extra };
}

/**
 * Calls `fn` with `classes` in tfjs's map and restores the map as soon as `fn` returns, before its
 * promise settles: tfjs deserializes synchronously inside `modelFromJSON` before its first await, so
 * the classes are in place exactly while they are needed and concurrent loads cannot interleave.
 */
export async function withClasses<T>(classes: CustomObjects, fn: () => Promise<T>): Promise<T> {
  const map = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  for (const [name, value] of Object.entries(classes)) {
    saved.set(name, map[name]);
    map[name] = value;
  }
  let pending: Promise<T>;
  try {
    pending = fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete map[name];
      else map[name] = value;
    }
  }
  return pending;
}
