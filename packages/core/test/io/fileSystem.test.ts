// File-system handler and loadLayersModel: save/reload bit for bit, atomic replace, stock
// compatibility, and every error path leaving no tensors behind.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync, truncateSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystem, loadLayersModel, saveLayersModel } from '../../src/io';
import { isRnnkitError } from '../../src/errors';

function stockModel(seed: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputLength: 5, embeddingsInitializer: tf.initializers.randomNormal({ seed }) }));
  model.add(tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  model.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
  return model;
}

const ids = () => tf.tensor2d([[1, 2, 3, 0, 0], [4, 0, 5, 6, 7]]);

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (!isRnnkitError(err)) throw err;
    expect(err.code).toBe(code);
    return err;
  }
  throw new Error(`expected an RnnkitError ${code}`);
}

describe('fileSystem + loadLayersModel', () => {
  let root: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'rnnkit-io-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reloads a saved model bit for bit (weights and outputs), from the folder or its model.json', async () => {
    const model = stockModel(1);
    const dir = join(root, 'roundtrip');
    await saveLayersModel(model, dir);
    for (const source of [dir, join(dir, 'model.json')]) {
      const loaded = await loadLayersModel(source);
      const a = model.getWeights();
      const b = loaded.getWeights();
      expect(b.length).toBe(a.length);
      a.forEach((w, i) => expect(Array.from(b[i]!.dataSync())).toEqual(Array.from(w.dataSync())));
      const x = ids();
      const ya = model.predict(x) as tf.Tensor;
      const yb = loaded.predict(x) as tf.Tensor;
      // Weights are bit for bit; outputs agree to float rounding (the reloaded rnnkit LSTM runs the fused
      // kernels by default, the stock tf.layers model composite ops).
      const [da, db] = [ya.dataSync(), yb.dataSync()];
      expect(db.length).toBe(da.length);
      da.forEach((v, i) => expect(Math.abs((db[i] as number) - v)).toBeLessThan(1e-6));
      tf.dispose([x, ya, yb]);
      loaded.dispose();
    }
    model.dispose();
  });

  it('saves loadable by stock tf.loadLayersModel (fromMemory artifacts and the handler)', async () => {
    const model = stockModel(2);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const dir = join(root, 'stock');
    await saveLayersModel(model, dir);
    const fromMemory = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const fromDisk = await tf.loadLayersModel(fileSystem(dir));
    const x = ids();
    const y = model.predict(x) as tf.Tensor;
    for (const m of [fromMemory, fromDisk]) {
      const z = m.predict(x) as tf.Tensor;
      expect(Array.from(z.dataSync())).toEqual(Array.from(y.dataSync()));
      z.dispose();
      m.dispose();
    }
    tf.dispose([x, y]);
    model.dispose();
  });

  it('replaces an existing model atomically and cleans up old weights and temp folders', async () => {
    const dir = join(root, 'replace');
    const a = stockModel(3);
    const b = stockModel(4);
    await saveLayersModel(a, dir);
    await saveLayersModel(b, dir);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.bin')).length).toBe(1);
    expect(readdirSync(root).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const loaded = await loadLayersModel(dir);
    expect(Array.from(loaded.getWeights()[0]!.dataSync())).toEqual(Array.from(b.getWeights()[0]!.dataSync()));
    loaded.dispose();
    a.dispose();
    b.dispose();
  });

  it('a save that fails midway leaves the existing model intact', async () => {
    const dir = join(root, 'crash');
    const model = stockModel(5);
    await saveLayersModel(model, dir);
    const before = readFileSync(join(dir, 'model.json'), 'utf8');
    const broken: tf.io.ModelArtifacts = { modelTopology: { bad: BigInt(1) } as unknown as object, weightSpecs: [], weightData: new ArrayBuffer(8) };
    await expectCode(fileSystem(dir).save!(broken), 'IO_ERROR');
    expect(readFileSync(join(dir, 'model.json'), 'utf8')).toBe(before);
    expect(readdirSync(root).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const loaded = await loadLayersModel(dir);
    loaded.dispose();
    model.dispose();
  });

  describe('errors leave no tensors behind', () => {
    let dir: string;
    beforeAll(async () => {
      const model = stockModel(6);
      dir = join(root, 'errors');
      await saveLayersModel(model, dir);
      model.dispose();
    });
    const json = () => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const variant = (name: string, edit: (j: tf.io.ModelJSON) => void): string => {
      const d = join(root, name);
      mkdirSync(d, { recursive: true });
      const j = json();
      edit(j);
      const bin = j.weightsManifest[0]!.paths[0]!;
      writeFileSync(join(d, bin), readFileSync(join(dir, bin)));
      writeFileSync(join(d, 'model.json'), JSON.stringify(j));
      return d;
    };

    async function noLeak(promise: () => Promise<unknown>, code: string): Promise<Error> {
      const n = tf.memory().numTensors;
      const err = await expectCode(promise(), code);
      expect(tf.memory().numTensors).toBe(n);
      return err;
    }

    it('missing path -> IO_ERROR', async () => {
      await noLeak(() => loadLayersModel(join(root, 'nope')), 'IO_ERROR');
    });
    it('folder without model.json -> IO_ERROR', async () => {
      const d = join(root, 'empty');
      mkdirSync(d);
      await noLeak(() => loadLayersModel(d), 'IO_ERROR');
    });
    it('not JSON / not a model -> INVALID_MODEL', async () => {
      const d = join(root, 'notjson');
      mkdirSync(d);
      writeFileSync(join(d, 'model.json'), 'hello');
      await noLeak(() => loadLayersModel(d), 'INVALID_MODEL');
      writeFileSync(join(d, 'model.json'), '{"name": "x"}');
      await noLeak(() => loadLayersModel(d), 'INVALID_MODEL');
    });
    it('truncated weights file -> INVALID_MODEL with expected and received byte counts', async () => {
      const d = variant('truncated', () => undefined);
      const bin = readdirSync(d).find((f) => f.endsWith('.bin'))!;
      truncateSync(join(d, bin), 20);
      const err = await noLeak(() => loadLayersModel(d), 'INVALID_MODEL');
      expect(err.message).toMatch(/expected \d+ bytes.*received:? 20 bytes/i);
    });
    it('loads weights split over several shard files, in manifest order', async () => {
      const d = join(root, 'sharded');
      mkdirSync(d, { recursive: true });
      const j = json();
      const bin = readFileSync(join(dir, j.weightsManifest[0]!.paths[0]!));
      writeFileSync(join(d, 'group1-shard1of2.bin'), bin.subarray(0, 100));
      writeFileSync(join(d, 'group1-shard2of2.bin'), bin.subarray(100));
      j.weightsManifest[0]!.paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
      writeFileSync(join(d, 'model.json'), JSON.stringify(j));
      const [a, b] = await Promise.all([loadLayersModel(dir), loadLayersModel(d)]);
      expect(b!.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(a!.getWeights().map((w) => Array.from(w.dataSync())));
      a!.dispose();
      b!.dispose();
    });
    it('missing weight shard -> IO_ERROR', async () => {
      const d = variant('noshard', (j) => j.weightsManifest[0]!.paths.push('missing.bin'));
      await noLeak(() => loadLayersModel(d), 'IO_ERROR');
    });
    it('unknown layer class -> UNKNOWN_CLASS naming it', async () => {
      const d = variant('unknown', (j) => {
        const cfg = (j.modelTopology as { config: { layers: Array<{ class_name: string }> } }).config;
        cfg.layers[1]!.class_name = 'FancyRNN';
      });
      const err = await noLeak(() => loadLayersModel(d), 'UNKNOWN_CLASS');
      expect(err.message).toContain('FancyRNN');
      expect(err.message).toContain('Dense');
    });
    it('wrong weight shape -> WEIGHT_MISMATCH, no half-made model', async () => {
      const d = variant('shape', (j) => {
        const cfg = (j.modelTopology as { config: { layers: Array<{ config: { units?: number } }> } }).config;
        cfg.layers[2]!.config.units = 5;
      });
      const vars = Object.keys(tf.engine().registeredVariables).length;
      const err = await noLeak(() => loadLayersModel(d), 'WEIGHT_MISMATCH');
      expect(err.message).toMatch(/expects shape \[3,5\]\. Received \[3,2\]/);
      expect(Object.keys(tf.engine().registeredVariables).length).toBe(vars);
    });
    it('missing weight -> WEIGHT_MISMATCH', async () => {
      const d = variant('count', (j) => {
        j.weightsManifest[0]!.weights.pop();
      });
      // the dropped spec leaves surplus bytes: the byte check fires first
      await noLeak(() => loadLayersModel(d), 'INVALID_MODEL');
      const artifacts = await fileSystem(dir).load!();
      artifacts.weightSpecs = artifacts.weightSpecs!.slice(0, -1);
      const bytes = artifacts.weightSpecs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
      artifacts.weightData = (artifacts.weightData as ArrayBuffer).slice(0, bytes);
      await noLeak(() => loadLayersModel(artifacts), 'WEIGHT_MISMATCH');
    });
    it('any IOHandler works as a source; its failures become IO_ERROR; unknown URL schemes INVALID_ARGUMENT', async () => {
      const artifacts = await fileSystem(dir).load!();
      const model = await loadLayersModel({ load: async () => artifacts });
      expect(model.layers.length).toBe(3);
      model.dispose();
      await noLeak(() => loadLayersModel({ load: async () => { throw new Error('disk on fire'); } }), 'IO_ERROR');
      await noLeak(() => loadLayersModel('nosuchscheme://model'), 'INVALID_ARGUMENT');
    });
    it('graph model artifacts -> INVALID_MODEL', async () => {
      await noLeak(() => loadLayersModel({ modelTopology: {}, format: 'graph-model' }), 'INVALID_MODEL');
    });
  });
});
