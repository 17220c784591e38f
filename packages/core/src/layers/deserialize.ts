// Owns deserializeLayer, the one lookup from a serialized `{ className, config }` to an rnnkit layer
// (deserializeCell is the same lookup limited to cell layers), and the entry type of the class table.
//
// The table itself is rnnkitLayerClasses() in registry.ts, which imports every layer module. The
// modules that rebuild nested layers (rnn.ts, stackedRnnCells.ts, bidirectional.ts) cannot import
// registry.ts without an import circle, so registry.ts hands its table to this leaf when it loads
// (provideLayerClasses). That is a module side effect under core's `"sideEffects": false`; it holds
// because nothing can reach these classes without loading registry.ts: the package exports only
// src/index.ts (which imports layers/index.ts -> registry.ts) and ./cli (no layers), the bundled
// builds are one module each, and io/customObjects.ts imports registry.ts for the loaders.
// tools/pack-check loads Bidirectional models from the packed tarballs in Node and in browser bundles.
import type * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { RecurrentCellLayer } from './cellBase';
import type { SerializedObject } from './layerConfig';

type AnySerializable = tf.serialization.SerializableConstructor<tf.serialization.Serializable>;
type FromConfig = tf.serialization.FromConfigMethod<tf.serialization.Serializable>;

/** A class and its `fromConfig`, the entry shape of tfjs's serialization map and of `customObjects`. */
export type LayerClassEntry = [AnySerializable, FromConfig];

let layerClasses: () => Record<string, LayerClassEntry> = () => ({});

/** Called once by registry.ts: the table deserializeLayer reads. */
export function provideLayerClasses(table: () => Record<string, LayerClassEntry>): void {
  layerClasses = table;
}

/** rnnkit's layer class names, in the registry's order (for error messages). */
export function layerClassNames(): string[] {
  return Object.keys(layerClasses());
}

/** The class entry for `className`: the caller's `customObjects` first, then rnnkit's classes; undefined if neither has it. */
export function findLayerClass(className: string, customObjects?: Record<string, LayerClassEntry>): LayerClassEntry | undefined {
  return customObjects?.[className] ?? layerClasses()[className];
}

/**
 * Rebuilds a layer from its `{ className, config }` with the class's `fromConfig`, looking the class up
 * in `customObjects` first, then in rnnkit's layer classes. An unknown class throws `UNKNOWN_CLASS`.
 */
export function deserializeLayer(obj: SerializedObject, customObjects?: Record<string, LayerClassEntry>): tf.serialization.Serializable {
  const entry = obj && typeof obj === 'object' ? findLayerClass(obj.className, customObjects) : undefined;
  if (!entry) {
    throw new RnnkitError('UNKNOWN_CLASS', `Expected a serialized rnnkit layer (${layerClassNames().join(', ')}). Received: className=${describeValue(obj?.className)}`);
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, { ...(obj.config ?? {}) });
}

function isCellClass(entry: LayerClassEntry | undefined): boolean {
  return entry !== undefined && typeof entry[0] === 'function' && (entry[0].prototype as unknown) instanceof RecurrentCellLayer;
}

/** Returns a cell layer: the instance itself, or one rebuilt from its `{ className, config }` (a cell class only). */
export function deserializeCell(cell: RecurrentCellLayer | SerializedObject): RecurrentCellLayer {
  if (cell instanceof RecurrentCellLayer) return cell;
  const entry = cell && typeof cell === 'object' ? layerClasses()[cell.className] : undefined;
  if (!isCellClass(entry)) {
    const cellNames = Object.entries(layerClasses()).filter(([, e]) => isCellClass(e)).map(([name]) => name);
    throw new RnnkitError('UNKNOWN_CLASS', `Expected a cell layer or a serialized cell (${cellNames.join(', ')}). Received: cell=${describeValue(cell)}`);
  }
  return deserializeLayer(cell as SerializedObject) as RecurrentCellLayer;
}
