// Hostile and corrupt model files: manifest paths leaving the folder (the issue's `../outside-weights.bin`),
// symlinks out, other origins, sizes that do not match, huge shapes, wrong dtypes, deep nesting,
// non-finite weights. Each is an RnnkitError with a code, nothing outside the model is opened, no tensors leak.
import * as tf from '@tensorflow/tfjs';
// The loaders import node:fs/promises lazily (a require under ts-jest): spy on that module object.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fsp = require('node:fs/promises') as Record<string, (...args: unknown[]) => unknown>;
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLayersModel, saveLayersModel } from '../../src/io';
import { folderModelFiles, urlModelFiles } from '../../src/io/modelFiles';
import { MAX_JSON_DEPTH, jsonDepth, parseModelJson } from '../../src/io/limits';
import { checkRelativePath, checkWeightsManifest, readManifestWeights } from '../../src/io/manifest';
import { codeOf, codeOfAsync } from '../util/errors';

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string; quantization?: unknown }> }>;
}

let root: string;
let good: string; // a saved model folder: model.json + one weights file
let goodJson: ModelJson;
let goodBin: Buffer;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'rnnkit-hostile-'));
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  good = join(root, 'good');
  await saveLayersModel(model, good);
  model.dispose();
  goodJson = JSON.parse(readFileSync(join(good, 'model.json'), 'utf8')) as ModelJson;
  goodBin = readFileSync(join(good, goodJson.weightsManifest[0]!.paths[0]!));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a model folder named `name` with `json` (edited from the good one) and weight files. */
function writeModel(name: string, edit: (json: ModelJson) => void, files: Record<string, Buffer | string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const json = JSON.parse(JSON.stringify(goodJson)) as ModelJson;
  edit(json);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  for (const [file, data] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), data);
  }
  return dir;
}

/** The code loadLayersModel fails with, asserting no tensors were left behind. */
async function loadCode(source: string, options = {}): Promise<string | undefined> {
  const before = tf.memory().numTensors;
  const code = await codeOfAsync(loadLayersModel(source, options));
  expect(tf.memory().numTensors).toBe(before);
  return code;
}

/** Every path the fs/promises functions were called with while `fn` ran. */
async function pathsTouched(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const spies = ['open', 'readFile', 'stat', 'lstat', 'realpath', 'access'].map((name) => {
    const original = fsp[name]!;
    return jest.spyOn(fsp, name).mockImplementation((...args: unknown[]) => {
      seen.push(String(args[0]));
      return original(...args);
    });
  });
  try {
    await fn().catch(() => undefined);
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  return seen;
}

describe('manifest paths (files)', () => {
  it('refuses ../outside-weights.bin with UNSAFE_PATH and never opens the outside file (issue 16)', async () => {
    const outside = join(root, 'outside-weights.bin');
    writeFileSync(outside, goodBin); // present, the right size, and a valid weights file
    chmodSync(outside, 0o000); // unreadable too, for non-root runs; root reads anyway, hence the spy below
    const dir = writeModel('traversal', (j) => void (j.weightsManifest[0]!.paths = ['../outside-weights.bin']));
    expect(await loadCode(dir)).toBe('UNSAFE_PATH');
    const touched = await pathsTouched(() => loadLayersModel(dir));
    expect(touched.length).toBeGreaterThan(0); // the spy sees the loader's calls (model.json)
    expect(touched.filter((p) => p.includes('outside-weights'))).toEqual([]);
  });

  it('refuses absolute, backslash, URL and empty paths; accepts a subfolder inside', async () => {
    for (const bad of [join(good, goodJson.weightsManifest[0]!.paths[0]!), '..\\w.bin', 'C:/w.bin', 'file:///etc/passwd', 'a/../../w.bin', '', './w.bin']) {
      const dir = writeModel('bad-path', (j) => void (j.weightsManifest[0]!.paths = [bad]));
      expect(await loadCode(dir)).toBe('UNSAFE_PATH');
    }
    const sub = writeModel('subfolder', (j) => void (j.weightsManifest[0]!.paths = ['shards/w.bin']), { 'shards/w.bin': goodBin });
    const model = await loadLayersModel(sub);
    expect(model.getWeights().length).toBe(2);
    model.dispose();
  });

  it('refuses a symlink that leaves the folder (realpath check); a link inside is fine', async () => {
    const outside = join(root, 'elsewhere.bin');
    writeFileSync(outside, goodBin);
    const dir = writeModel('symlink-out', (j) => void (j.weightsManifest[0]!.paths = ['w.bin']));
    symlinkSync(outside, join(dir, 'w.bin'));
    expect(await loadCode(dir)).toBe('UNSAFE_PATH');
    const inside = writeModel('symlink-in', (j) => void (j.weightsManifest[0]!.paths = ['w.bin']), { 'real.bin': goodBin });
    symlinkSync(join(inside, 'real.bin'), join(inside, 'w.bin'));
    const model = await loadLayersModel(inside);
    model.dispose();
  });

  it('checkRelativePath is the rule: plain names and subfolders only', () => {
    expect(checkRelativePath('group1-shard1of2.bin', 'm')).toBe('group1-shard1of2.bin');
    expect(checkRelativePath('a/b.bin', 'm')).toBe('a/b.bin');
    for (const bad of ['/abs', '../x', 'a/..', 'a//b', 'x\0y', 42, null]) expect(codeOf(() => checkRelativePath(bad, 'm'))).toBe('UNSAFE_PATH');
  });
});

describe('sizes, shapes and dtypes (before reading)', () => {
  it('a weights file of the wrong size is INVALID_MODEL and is never read', async () => {
    const dir = writeModel('short', () => undefined, { [goodJson.weightsManifest[0]!.paths[0]!]: goodBin.subarray(0, 20) });
    // FileHandle.read and readFile: neither may run on the weights file
    const probe = await (fsp['open']!(join(dir, 'model.json'), 'r') as Promise<{ close(): Promise<void> }>);
    const handleProto = Object.getPrototypeOf(probe) as Record<string, (...args: unknown[]) => unknown>;
    await probe.close();
    const reads = [jest.spyOn(handleProto, 'read'), jest.spyOn(handleProto, 'readFile'), jest.spyOn(fsp, 'readFile')];
    let code: string | undefined;
    const touched = await pathsTouched(async () => void (code = await loadCode(dir)));
    expect(code).toBe('INVALID_MODEL');
    expect(touched.some((p) => p.endsWith('.bin'))).toBe(true); // sized (opened + fstat) ...
    reads.forEach((r) => expect(r.mock.calls.filter((c) => c[0] !== undefined && String(c[0]).endsWith('.bin'))).toEqual([]));
    // ... and model.json (about 700 bytes) is the only file read: one read call for it, none for the weights
    expect(reads[0]!.mock.calls.length).toBe(1);
    reads.forEach((r) => r.mockRestore());
    // a file bigger than declared: refused from its size (stat), not read into memory
    const files = folderModelFiles(good);
    expect(await codeOfAsync(files.bytes(goodJson.weightsManifest[0]!.paths[0]!, 8))).toBe('INVALID_MODEL');
    expect(await codeOfAsync(files.text('model.json', 10))).toBe('INVALID_MODEL');
  });

  it('a huge declared shape is refused before any allocation', async () => {
    const dir = writeModel('huge', (j) => void (j.weightsManifest[0]!.weights[0]!.shape = [2 ** 20, 2 ** 20]));
    const start = Date.now();
    expect(await loadCode(dir)).toBe('INVALID_MODEL');
    expect(Date.now() - start).toBeLessThan(2000);
    expect(codeOf(() => checkWeightsManifest([{ paths: ['w'], weights: [{ name: 'a', shape: [2 ** 16, 2 ** 15], dtype: 'float32' }, { name: 'b', shape: [2 ** 16, 2 ** 15], dtype: 'float32' }] }], 'm'))).toBe('INVALID_MODEL');
  });

  it('bad shapes, dtypes, quantizations and manifest structure each get a code', async () => {
    const cases: Array<[string, (j: ModelJson) => void, string]> = [
      ['neg', (j) => void (j.weightsManifest[0]!.weights[0]!.shape = [-4, 3]), 'INVALID_MODEL'],
      ['frac', (j) => void (j.weightsManifest[0]!.weights[0]!.shape = [2.5, 3]), 'INVALID_MODEL'],
      ['nan-dim', (j) => void ((j.weightsManifest[0]!.weights[0]! as { shape: unknown }).shape = ['4', 3]), 'INVALID_MODEL'],
      ['string', (j) => void (j.weightsManifest[0]!.weights[0]!.dtype = 'string'), 'UNSUPPORTED'],
      ['complex', (j) => void (j.weightsManifest[0]!.weights[0]!.dtype = 'complex64'), 'UNSUPPORTED'],
      ['quant', (j) => void (j.weightsManifest[0]!.weights[0]!.quantization = { dtype: 'int4' }), 'UNSUPPORTED'],
      ['quant-scale', (j) => void (j.weightsManifest[0]!.weights[0]!.quantization = { dtype: 'uint8', scale: null, min: 0 }), 'INVALID_MODEL'],
      ['groups', (j) => void ((j as { weightsManifest: unknown }).weightsManifest = { paths: [] }), 'INVALID_MODEL'],
      ['paths', (j) => void ((j.weightsManifest[0] as { paths: unknown }).paths = 'w.bin'), 'INVALID_MODEL'],
    ];
    for (const [name, edit, code] of cases) expect([name, await loadCode(writeModel(`case-${name}`, edit))]).toEqual([name, code]);
  });
});

describe('model.json parsing', () => {
  it('deep nesting is INVALID_MODEL (bounded, no stack overflow)', async () => {
    const deep = `{"modelTopology":${'['.repeat(100000)}${']'.repeat(100000)},"weightsManifest":[]}`;
    const dir = join(root, 'deep');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.json'), deep);
    expect(await loadCode(dir)).toBe('INVALID_MODEL');
    expect(jsonDepth('{"a":"[[[[[[","b":[{"c":"\\"]"}]}')).toBe(3);
    expect(codeOf(() => parseModelJson('['.repeat(MAX_JSON_DEPTH + 1), 'm'))).toBe('INVALID_MODEL');
    // in-memory artifacts: the topology's depth is checked too
    let nested: unknown = {};
    for (let i = 0; i < 10000; i++) nested = { config: nested };
    expect(await codeOfAsync(loadLayersModel({ modelTopology: { class_name: 'Sequential', config: nested } as never }))).toBe('INVALID_MODEL');
  });

  it('not JSON, not an object, or a cyclic in-memory topology: INVALID_MODEL', async () => {
    for (const [name, text] of [['notjson', '{"modelTopology": '], ['array', '[1,2]'], ['null', 'null']]) {
      const dir = join(root, name as string);
      mkdirSync(dir);
      writeFileSync(join(dir, 'model.json'), text as string);
      expect(await loadCode(dir)).toBe('INVALID_MODEL');
    }
    const cyclic: Record<string, unknown> = { class_name: 'Sequential' };
    cyclic['config'] = cyclic;
    expect(await codeOfAsync(loadLayersModel({ modelTopology: cyclic as never }))).toBe('INVALID_MODEL');
  });
});

describe('configs tfjs accepts and then fails on half-way (found by the fuzz suite)', () => {
  it('a layer named -1, or a constraint that is [], is INVALID_MODEL with no tensors or variables left', async () => {
    const json = JSON.parse(readFileSync(join(good, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: Array<{ config: Record<string, unknown> }> } } };
    const weightSpecs = goodJson.weightsManifest[0]!.weights as never;
    for (const edit of [(c: Record<string, unknown>) => void (c['name'] = -1), (c: Record<string, unknown>) => void (c['kernel_constraint'] = []), (c: Record<string, unknown>) => void (c['name'] = 'has space')]) {
      const topology = JSON.parse(JSON.stringify(json.modelTopology)) as typeof json.modelTopology;
      edit(topology.config.layers[topology.config.layers.length - 1]!.config);
      const tensors = tf.memory().numTensors;
      const variables = Object.keys(tf.engine().registeredVariables).length;
      expect(await codeOfAsync(loadLayersModel({ modelTopology: topology as never, weightSpecs, weightData: new Uint8Array(goodBin).buffer }))).toBe('INVALID_MODEL');
      expect(tf.memory().numTensors).toBe(tensors);
      expect(Object.keys(tf.engine().registeredVariables).length).toBe(variables);
    }
  });
});

describe('non-finite weights', () => {
  it('NaN or Infinity in float32 or float16 weights is INVALID_MODEL, without leaks', async () => {
    const nan = Buffer.from(goodBin);
    nan.writeFloatLE(Number.NaN, 8);
    const dir = writeModel('nan', () => undefined, { [goodJson.weightsManifest[0]!.paths[0]!]: nan });
    expect(await loadCode(dir)).toBe('INVALID_MODEL');
    const inf = Buffer.from(goodBin);
    inf.writeFloatLE(Number.POSITIVE_INFINITY, inf.length - 4);
    expect(await loadCode(writeModel('inf', () => undefined, { [goodJson.weightsManifest[0]!.paths[0]!]: inf }))).toBe('INVALID_MODEL');
    // float16: 0x7c00 is +Infinity
    const [kernel, bias] = goodJson.weightsManifest[0]!.weights as [ModelJson['weightsManifest'][0]['weights'][0], ModelJson['weightsManifest'][0]['weights'][0]];
    const half = Buffer.alloc((12 + 3) * 2);
    half.writeUInt16LE(0x7c00, 6);
    const f16 = writeModel('f16', (j) => {
      j.weightsManifest[0]!.paths = ['h.bin'];
      j.weightsManifest[0]!.weights = [{ ...kernel, quantization: { dtype: 'float16' } }, { ...bias, quantization: { dtype: 'float16' } }];
    }, { 'h.bin': half });
    expect(await loadCode(f16)).toBe('INVALID_MODEL');
    half.writeUInt16LE(0x3c00, 6); // 1.0: loads
    writeFileSync(join(f16, 'h.bin'), half);
    const model = await loadLayersModel(f16);
    expect(model.getWeights()[0]!.dataSync()[3]).toBe(1);
    model.dispose();
  });
});

/** A fetch serving a table of URL -> body; records what was asked for. */
function fakeFetch(table: Record<string, () => Response>, asked: string[]): typeof fetch {
  return async (input) => {
    const url = String(input);
    asked.push(url);
    const make = table[url];
    return make ? make() : new Response('no', { status: 404 });
  };
}

describe('manifest paths (URLs)', () => {
  const served = (paths: string[], bin: Buffer | Uint8Array = goodBin) => {
    const json = JSON.parse(JSON.stringify(goodJson)) as ModelJson;
    json.weightsManifest[0]!.paths = paths;
    return {
      'https://models.example/m/model.json': () => new Response(JSON.stringify(json)),
      'https://models.example/m/w.bin': () => new Response(new Uint8Array(bin)),
      'https://cdn.example/w.bin': () => new Response(new Uint8Array(bin)),
      'https://models.example/w.bin': () => new Response(new Uint8Array(bin)),
    };
  };

  it('a weight URL on another origin is UNSAFE_PATH and is not fetched, unless allowCrossOrigin', async () => {
    for (const p of ['https://cdn.example/w.bin', '//cdn.example/w.bin']) {
      const asked: string[] = [];
      expect(await loadCode('https://models.example/m/model.json', { fetchFunc: fakeFetch(served([p]), asked) })).toBe('UNSAFE_PATH');
      expect(asked).toEqual(['https://models.example/m/model.json']);
    }
    const asked: string[] = [];
    const model = await loadLayersModel('https://models.example/m/model.json', { fetchFunc: fakeFetch(served(['https://cdn.example/w.bin']), asked), allowCrossOrigin: true });
    expect(asked).toContain('https://cdn.example/w.bin');
    model.dispose();
  });

  it('same-origin relative URLs load (also ../ on the same origin)', async () => {
    for (const p of ['w.bin', '../w.bin']) {
      const model = await loadLayersModel('https://models.example/m/model.json', { fetchFunc: fakeFetch(served([p]), []) });
      expect(model.getWeights().length).toBe(2);
      model.dispose();
    }
  });

  it('a redirect to another origin is UNSAFE_PATH', async () => {
    const redirected = () => Object.assign(new Response(new Uint8Array(goodBin)), {}) as Response;
    const fetchFunc: typeof fetch = async (input) => {
      if (String(input).endsWith('model.json')) return served(['w.bin'])['https://models.example/m/model.json']();
      const res = redirected();
      Object.defineProperty(res, 'redirected', { value: true });
      Object.defineProperty(res, 'url', { value: 'https://evil.example/w.bin' });
      return res;
    };
    expect(await loadCode('https://models.example/m/model.json', { fetchFunc })).toBe('UNSAFE_PATH');
  });

  it('a Content-Length other than the declared size is INVALID_MODEL before the body is read', async () => {
    let pulled = 0;
    const body = () => new ReadableStream<Uint8Array>({ pull: (c) => { pulled++; c.enqueue(new Uint8Array(1 << 16)); } });
    const files = urlModelFiles('https://models.example/m/', {
      fetch: async () => new Response(body(), { headers: { 'content-length': String(10 ** 9) } }),
    });
    expect(await codeOfAsync(files.bytes('w.bin', 60))).toBe('INVALID_MODEL');
    expect(pulled).toBeLessThanOrEqual(1); // the stream's first pull happens on construction at most
    // without Content-Length: the read stops as soon as the body passes the declared size
    pulled = 0;
    const unsized = urlModelFiles('https://models.example/m/', { fetch: async () => new Response(body()) });
    expect(await codeOfAsync(unsized.bytes('w.bin', 60))).toBe('INVALID_MODEL');
    expect(pulled).toBeLessThan(4);
    // a huge model.json likewise
    expect(await codeOfAsync(unsized.text('model.json', 1000))).toBe('INVALID_MODEL');
  });

  it('readManifestWeights checks paths with the source: folders refuse URLs, URLs refuse other origins', async () => {
    const manifest = [{ paths: ['https://cdn.example/w.bin'], weights: goodJson.weightsManifest[0]!.weights }];
    expect(await codeOfAsync(readManifestWeights(folderModelFiles(good), manifest))).toBe('UNSAFE_PATH');
    expect(await codeOfAsync(readManifestWeights(urlModelFiles('https://models.example/m/', { fetch: fakeFetch({}, []) }), manifest))).toBe('UNSAFE_PATH');
  });
});
