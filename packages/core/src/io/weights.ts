// Weight decoding and name matching: reads the flat weight buffer of a model.json's manifest and
// assigns each stored weight to a variable of a built model by layer name and role, robust to the
// naming schemes of tfjs-layers, tf.keras 2.x (`lstm/lstm_cell/kernel`,
// `sequential/bidirectional/forward_lstm/lstm_cell/kernel`) and Keras 3 (`layers/lstm/cell/vars/0`).
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from '../errors';
import { type Json, type JsonObject, isJsonObject } from './normalize';
import { checkWeightEntry } from './manifest';
import { checkFiniteWeights } from './finite';
import { MAX_WEIGHT_ELEMENTS } from './limits';

/** One stored weight: its manifest name and its decoded value. */
export interface StoredWeight {
  name: string;
  tensor: tf.Tensor;
}

/** Bytes one manifest entry occupies in the weight buffer (entry checked: dtype, shape, element cap). */
function entryBytes(spec: tf.io.WeightsManifestEntry): number {
  return checkWeightEntry(spec).bytes;
}

/** Bytes the weights of a manifest occupy in their files (quantized entries at their stored size). */
export function weightsByteLength(specs: readonly tf.io.WeightsManifestEntry[]): number {
  let elements = 0;
  return specs.reduce((n, spec) => {
    const size = checkWeightEntry(spec);
    elements += size.elements;
    if (elements > MAX_WEIGHT_ELEMENTS) throw new RnnkitError('INVALID_MODEL', `Expected at most ${MAX_WEIGHT_ELEMENTS} weight elements in all. Received more`);
    return n + size.bytes;
  }, 0);
}

/** The weight data as one ArrayBuffer (tfjs 4 may hand it over as a list of shards). */
export function joinWeightData(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/**
 * Decodes every manifest entry in order (duplicate names kept). Checks the entries (dtype, shape,
 * element cap) and the buffer length first: a short or long buffer throws `INVALID_MODEL` naming the
 * expected and received byte counts. Weights holding NaN or Infinity are `INVALID_MODEL`.
 */
export function decodeStoredWeights(specs: tf.io.WeightsManifestEntry[], data: tf.io.WeightData | undefined): StoredWeight[] {
  const buffer = joinWeightData(data);
  if (!Array.isArray(specs)) throw new RnnkitError('INVALID_MODEL', `Expected weightSpecs to be an array. Received: ${describeValue(specs).slice(0, 200)}`);
  const expected = weightsByteLength(specs);
  const sizes = specs.map(entryBytes);
  if (buffer.byteLength !== expected) {
    const how = buffer.byteLength < expected ? 'truncated' : 'too long';
    throw new RnnkitError(
      'INVALID_MODEL',
      `Weight data is ${how}: expected ${expected} bytes for ${specs.length} weights, received ${buffer.byteLength} bytes.`,
    );
  }
  checkFiniteWeights(specs, buffer, 'the model weights');
  const out: StoredWeight[] = [];
  let offset = 0;
  try {
    specs.forEach((spec, i) => {
      const size = sizes[i] as number;
      const decoded = tf.io.decodeWeights(buffer.slice(offset, offset + size), [spec]);
      offset += size;
      const tensor = decoded[spec.name];
      if (tensor === undefined) throw new RnnkitError('INVALID_MODEL', `Could not decode weight "${spec.name}".`);
      out.push({ name: spec.name, tensor });
    });
  } catch (err) {
    out.forEach((w) => w.tensor.dispose());
    throw err;
  }
  return out;
}

/** A weight's place inside its layer, parsed from its name. */
interface WeightKey {
  /** -1 none, 0 forward, 1 backward (Bidirectional). */
  dir: number;
  /** Index of the cell in a stacked-cells RNN, -1 if none. */
  cell: number;
  /** Role such as kernel / recurrent_kernel / bias, or null for Keras 3's numbered `vars/N`. */
  role: string | null;
  /** Sort position within its group (Keras 3 var number, else position in the list). */
  ordinal: number;
}

/** What the matcher needs to know about a model layer that owns weights. */
export interface TargetLayer {
  layer: tf.layers.Layer;
  /** Names of the cells of a stacked-cells RNN, from its config, in order. */
  cellNames: string[];
}

function segmentsOf(name: string): string[] {
  return name.replace(/:\d+$/, '').split('/').filter((s) => s.length > 0);
}

function parseKey(segments: string[], cellNames: string[], position: number): WeightKey {
  let dir = -1;
  let cell = -1;
  for (const seg of segments.slice(0, -1)) {
    if (seg === 'forward_layer' || seg.startsWith('forward_')) dir = 0;
    else if (seg === 'backward_layer' || seg.startsWith('backward_')) dir = 1;
    const c = cellNames.indexOf(seg);
    if (c >= 0) cell = c;
  }
  const last = segments[segments.length - 1] ?? '';
  const numbered = /^\d+$/.test(last);
  return { dir, cell, role: numbered ? null : last, ordinal: numbered ? Number(last) : position };
}

function byKey<T extends { key: WeightKey }>(a: T, b: T): number {
  return a.key.dir - b.key.dir || a.key.cell - b.key.cell || a.key.ordinal - b.key.ordinal;
}

const group = (k: WeightKey): string => `${k.dir}|${k.cell}`;

/** Leaf layers (nested models flattened) with the cell names their configs give. */
export function targetLayers(model: tf.LayersModel, configs: Map<string, JsonObject>): TargetLayer[] {
  const out: TargetLayer[] = [];
  const visit = (layers: tf.layers.Layer[]): void => {
    for (const layer of layers) {
      if (layer instanceof tf.LayersModel) visit(layer.layers);
      else out.push({ layer, cellNames: stackedCellNames(configs.get(layer.name)) });
    }
  };
  visit(model.layers);
  return out;
}

function stackedCellNames(config: JsonObject | undefined): string[] {
  const cell = config?.['cell'];
  const inner = isJsonObject(cell) && isJsonObject(cell['config']) ? cell['config']['cells'] : undefined;
  if (!Array.isArray(inner)) return [];
  return inner.map((c: Json) => (isJsonObject(c) && isJsonObject(c['config']) ? String(c['config']['name'] ?? '') : ''));
}

/** Layer configs by layer name, nested containers included, from a normalized model config. */
export function layerConfigsByName(modelConfig: JsonObject): Map<string, JsonObject> {
  const map = new Map<string, JsonObject>();
  const visit = (obj: Json): void => {
    if (!isJsonObject(obj) || !isJsonObject(obj['config'])) return;
    const config = obj['config'];
    if (typeof config['name'] === 'string') map.set(config['name'], config);
    if (Array.isArray(config['layers'])) config['layers'].forEach(visit);
  };
  visit(modelConfig);
  return map;
}

interface Source {
  stored: StoredWeight;
  key: WeightKey;
}
interface Target {
  index: number;
  key: WeightKey;
}

/** Pairs the stored weights of one layer with its variables: by group and role, else by order. */
function pairLayer(sources: Source[], targets: Target[]): Array<[Source, Target]> {
  const s = [...sources].sort(byKey);
  const t = [...targets].sort(byKey);
  const groups = (xs: Array<{ key: WeightKey }>) => xs.map((x) => group(x.key)).join(',');
  if (groups(s) !== groups(t)) return s.map((src, i) => [src, t[i] as Target]);
  const pairs: Array<[Source, Target]> = [];
  for (const g of new Set(s.map((x) => group(x.key)))) {
    const gs = s.filter((x) => group(x.key) === g);
    const gt = t.filter((x) => group(x.key) === g);
    const roles = (xs: Array<{ key: WeightKey }>) => xs.map((x) => x.key.role);
    const rs = roles(gs);
    const rt = roles(gt);
    const byRole = rs.every((r) => r !== null) && new Set(rs).size === rs.length && rt.every((r) => r !== null && rs.includes(r));
    gs.forEach((src, i) => pairs.push([src, (byRole ? gt.find((x) => x.key.role === src.key.role) : gt[i]) as Target]));
  }
  return pairs;
}

function isOptimizerWeight(segments: string[]): boolean {
  return segments[0] === 'optimizer' || segments[0] === 'optimizer_weights' || segments.includes('optimizer_weights');
}

/**
 * Computes the value for every variable of every layer. Returns per-layer ordered tensor lists
 * (tensors are the stored ones, not copies). Throws `WEIGHT_MISMATCH` naming expected and received
 * counts, names or shapes.
 */
export function matchWeights(layers: TargetLayer[], stored: StoredWeight[]): Array<{ layer: tf.layers.Layer; values: tf.Tensor[] }> {
  const names = new Map(layers.map((t, i) => [t.layer.name, i]));
  const perLayer: Source[][] = layers.map(() => []);
  const unowned: StoredWeight[] = [];
  stored.forEach((w, position) => {
    const segments = segmentsOf(w.name);
    if (isOptimizerWeight(segments)) return;
    const at = segments.findIndex((seg) => names.has(seg));
    if (at < 0) return void unowned.push(w);
    const li = names.get(segments[at] as string) as number;
    const key = parseKey(segments.slice(at + 1), (layers[li] as TargetLayer).cellNames, position);
    (perLayer[li] as Source[]).push({ stored: w, key });
  });
  const wanted = layers.filter((t) => t.layer.weights.length > 0);
  const total = wanted.reduce((n, t) => n + t.layer.weights.length, 0);
  if (unowned.length > 0) {
    const owned = stored.length - unowned.length;
    if (owned === 0 && unowned.length === total) return matchByOrder(wanted, unowned);
    throw new RnnkitError(
      'WEIGHT_MISMATCH',
      `Expected every stored weight to belong to a layer of the model (${describeValue(layers.map((t) => t.layer.name))}). Received weights of unknown layers: ${describeValue(unowned.map((w) => w.name))}`,
    );
  }
  return layers.map((t, li) => {
    const sources = perLayer[li] as Source[];
    const vars = t.layer.weights;
    if (sources.length !== vars.length) {
      throw new RnnkitError(
        'WEIGHT_MISMATCH',
        `Layer "${t.layer.name}" expects ${vars.length} weights (${describeValue(vars.map((v) => v.originalName))}). Received ${sources.length}: ${describeValue(sources.map((s) => s.stored.name))}`,
      );
    }
    const targets = vars.map((v, index) => ({ index, key: parseKey(segmentsOf(v.originalName).slice(1), t.cellNames, index) }));
    const values: tf.Tensor[] = new Array(vars.length);
    for (const [src, dst] of pairLayer(sources, targets)) {
      checkShape(t.layer, vars[dst.index] as tf.LayerVariable, src.stored);
      values[dst.index] = src.stored.tensor;
    }
    return { layer: t.layer, values };
  });
}

/** Fallback when no stored name names a model layer: model weight order, shapes checked. */
function matchByOrder(layers: TargetLayer[], stored: StoredWeight[]): Array<{ layer: tf.layers.Layer; values: tf.Tensor[] }> {
  let at = 0;
  return layers.map((t) => ({
    layer: t.layer,
    values: t.layer.weights.map((v) => {
      const w = stored[at++] as StoredWeight;
      checkShape(t.layer, v, w);
      return w.tensor;
    }),
  }));
}

function checkShape(layer: tf.layers.Layer, variable: tf.LayerVariable, stored: StoredWeight): void {
  if (!tf.util.arraysEqual(variable.shape as number[], stored.tensor.shape)) {
    throw new RnnkitError(
      'WEIGHT_MISMATCH',
      `Weight "${variable.originalName}" of layer "${layer.name}" expects shape ${describeValue(variable.shape)}. Received ${describeValue(stored.tensor.shape)} from "${stored.name}".`,
    );
  }
}
