// Keras 3 `.keras` weight layout. Keras 3's saving_lib stores variables by object path, not by
// layer name: a model's layers sit under `layers/<slot>`, where the slot is the layer's class name in
// snake case plus a per-class counter (`dense`, `dense_1`, ...); an RNN's cell under `cell`, stacked
// cells under `cell/cells/<slot>`, Bidirectional's layers under `forward_layer` / `backward_layer`,
// and the values under `vars/<n>`. tensorflowjs_converter keeps these paths as weight names
// (`layers/lstm/cell/vars/0`). This module maps them back to layer names so the name matcher works.
import { type Json, type JsonObject, isJsonObject } from './normalize';
import type { StoredWeight } from './weights';

/** Keras's `naming.to_snake_case` (class name -> slot prefix): `SimpleRNN` -> `simple_rnn`. */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Slot -> serialized object, for a list of serialized objects, as Keras's container naming does. */
function slots(objects: Json[]): Map<string, JsonObject> {
  const used = new Map<string, number>();
  const out = new Map<string, JsonObject>();
  for (const obj of objects) {
    if (!isJsonObject(obj) || typeof obj['class_name'] !== 'string') continue;
    const base = kerasSnakeCase(obj['class_name']);
    const k = (used.get(base) ?? -1) + 1;
    used.set(base, k);
    out.set(k === 0 ? base : `${base}_${k}`, obj);
  }
  return out;
}

function nameOf(obj: JsonObject): string | null {
  const config = obj['config'];
  const name = isJsonObject(config) ? config['name'] : obj['name'];
  return typeof name === 'string' ? name : null;
}

/** `[..., 'cell', 'cells', <slot>, ...]` of a stacked-cells RNN: the slot becomes the cell's name. */
function renameCellSlot(rest: string[], layer: JsonObject): string[] {
  const config = layer['config'];
  const cell = isJsonObject(config) ? config['cell'] : null;
  const cells = isJsonObject(cell) && isJsonObject(cell['config']) ? cell['config']['cells'] : null;
  const at = rest.indexOf('cells');
  if (!Array.isArray(cells) || at < 0 || rest[at + 1] === undefined) return rest;
  const target = slots(cells).get(rest[at + 1] as string);
  const name = target ? nameOf(target) : null;
  return name ? [...rest.slice(0, at + 1), name, ...rest.slice(at + 2)] : rest;
}

/** `layers/<slot>/.../rest` -> `<layer name>/rest` within `model` (nested models followed), or null. */
export function kerasLayoutToName(weightName: string, model: JsonObject): string | null {
  const segments = weightName.split('/');
  let container: JsonObject = model;
  let i = 0;
  for (;;) {
    const config = container['config'];
    const layers = isJsonObject(config) ? config['layers'] : null;
    if (segments[i] !== 'layers' || !Array.isArray(layers)) return null;
    const layer = slots(layers).get(segments[i + 1] ?? '');
    if (!layer) return null;
    i += 2;
    const inner = layer['config'];
    if (segments[i] === 'layers' && isJsonObject(inner) && Array.isArray(inner['layers'])) {
      container = layer;
      continue;
    }
    const name = nameOf(layer);
    return name === null ? null : [name, ...renameCellSlot(segments.slice(i), layer)].join('/');
  }
}

/**
 * If the stored weights use the `.keras` layout (names starting with `layers/`), returns them renamed
 * to `<layer name>/...` and without non-layer state (optimizer, metrics); otherwise returns them as
 * they are. The tensors are shared with `stored`.
 */
export function renameKerasLayout(stored: StoredWeight[], modelConfig: JsonObject): StoredWeight[] {
  const layout = stored.some((w) => w.name.startsWith('layers/') && kerasLayoutToName(w.name, modelConfig) !== null);
  if (!layout) return stored;
  return stored
    .filter((w) => w.name.startsWith('layers/'))
    .map((w) => ({ name: kerasLayoutToName(w.name, modelConfig) ?? w.name, tensor: w.tensor }));
}
