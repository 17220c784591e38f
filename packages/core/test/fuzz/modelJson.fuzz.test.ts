// Fuzz suite (issue 16) for model.json parsing and loading: random text and random JSON, and valid
// model.json files with one node mutated (topology or manifest), loaded end to end through the URL
// loader (an in-memory fetch, weights possibly cut or padded). Properties: no exception other than
// RnnkitError, no tensors or variables left behind. Seeded; the long run is `node scripts/fuzz.mjs`.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { anyText, fuzzTarget, fuzzTargetAsync, onlyRnnkitErrors, onlyRnnkitErrorsAsync } from './harness';
import { loadLayersModel } from '../../src/io';
import { parseModelJson } from '../../src/io/limits';
import { checkWeightsManifest } from '../../src/io/manifest';
import { normalizeTopology } from '../../src/io/normalize';
import { layers } from '../../src/index';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

let modelJson: { modelTopology: Json; weightsManifest: Json; format: string };
let weights: Uint8Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: 20, outputDim: 4, maskZero: true, inputLength: 6 }));
  model.add(layers.lstm({ units: 3 }) as unknown as tf.layers.Layer);
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  await model.save(tf.io.withSaveHandler(async (a) => {
    modelJson = { modelTopology: a.modelTopology as Json, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs as unknown as Json }], format: 'layers-model' };
    weights = new Uint8Array(a.weightData as ArrayBuffer);
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
  }));
  model.dispose();
});

/** Every path (keys / indices) to a node of `value`. */
function paths(value: Json, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

/** Replaces (or, with `undefined`, deletes) the node at `path` in a copy of `value`. */
function mutate(value: Json, path: Array<string | number>, replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const copy = JSON.parse(JSON.stringify(value)) as Json;
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

const nasty: fc.Arbitrary<Json | undefined> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, weight: 4 },
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.constantFrom<Json>(-1, 0, 1e308, -1e308, 2 ** 31, 2 ** 53, 0.5, '', 'NaN', 'float64', 'string', 'complex64', 'int32', 'bool', [], {}, null, true, '../x.bin', '/etc/passwd', 'https://evil.example/w.bin', [2 ** 20, 2 ** 20], [-1], [1.5], ['3']), weight: 4 },
  { arbitrary: anyText(200), weight: 1 },
);

describe('model.json', () => {
  it('parseModelJson of random text: only RnnkitError', () => {
    fuzzTarget('core/parseModelJson', fc.oneof(anyText(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
      onlyRnnkitErrors(() => parseModelJson(text, 'fuzz'));
    });
  });

  it('normalizeTopology and checkWeightsManifest of random JSON: only RnnkitError', () => {
    fuzzTarget('core/normalizeTopology', fc.oneof(fc.jsonValue({ maxDepth: 6 }), fc.constant(null).chain(() => fc.constantFrom(...paths(modelJson.modelTopology))).chain((p) => nasty.map((v) => mutate(modelJson.modelTopology, p, v)))), (json) => {
      onlyRnnkitErrors(() => normalizeTopology(json));
      onlyRnnkitErrors(() => checkWeightsManifest(json, 'fuzz'));
    });
  });

  it('a valid model.json with one node mutated, weights cut or padded, loaded over the URL loader: only RnnkitError, no leaks', async () => {
    const whole = modelJson as unknown as Json;
    const mutation = fc.tuple(fc.constantFrom(...paths(whole)), nasty).map(([p, v]) => mutate(whole, p, v));
    const weightEdit = fc.oneof(
      { arbitrary: fc.constant((w: Uint8Array) => w), weight: 4 },
      { arbitrary: fc.integer({ min: 0, max: 400 }).map((n) => (w: Uint8Array) => w.slice(0, n)), weight: 1 },
      { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 16 }).map((tail) => (w: Uint8Array) => new Uint8Array([...w, ...tail])), weight: 1 },
      { arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, b]) => (w: Uint8Array) => Object.assign(w.slice(), { [at % w.length]: b })), weight: 2 },
    );
    await fuzzTargetAsync('core/loadLayersModel-mutated', fc.tuple(fc.oneof({ arbitrary: mutation, weight: 8 }, { arbitrary: fc.jsonValue(), weight: 1 }), weightEdit), async ([json, edit]) => {
      const body = JSON.stringify(json) ?? '';
      const bin = edit(weights);
      const fetchFunc = async (url: RequestInfo | URL) => {
        const u = String(url);
        if (u === 'https://m.example/model.json') return new Response(body);
        if (u === 'https://m.example/w.bin') return new Response(bin as Uint8Array<ArrayBuffer>);
        return new Response('no', { status: 404 });
      };
      const tensors = tf.memory().numTensors;
      const variables = Object.keys(tf.engine().registeredVariables).length;
      const model = await onlyRnnkitErrorsAsync(() => loadLayersModel('https://m.example/model.json', { fetchFunc: fetchFunc as typeof fetch }));
      model?.dispose();
      if (tf.memory().numTensors !== tensors) throw new Error(`tensors leaked: ${tf.memory().numTensors - tensors}`);
      if (Object.keys(tf.engine().registeredVariables).length !== variables) throw new Error('variables leaked');
    }, 150);
  });
});
