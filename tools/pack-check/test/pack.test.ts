// From the tarballs that test/globalSetup.cjs packed and installed into a fresh temporary npm project
// outside the repository: loads every package in a fresh `node` process both as ESM (`import`) and as
// CommonJS (`require`) and checks that its listed exports are there and work, runs the core CLI, and
// checks what each tarball holds. This is what a user who runs `npm install @rnnkit/<name>` gets.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app as appDir, publishable, repo, run, tarballs, work } from './work';

/** What each package must export, checked from both module systems. */
const expectedExports: Record<string, string[]> = {
  core: ['RnnkitError', 'isRnnkitError', 'layers', 'readSafetensors', 'torchLayers', 'torchSequential', 'readKerasModel', 'LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'loadLayersModel', 'saveLayersModel', 'fileSystem', 'clipByGlobalNorm', 'withGradientClipping', 'initBackend', 'fusedLstmSequence', 'RNN_DEFAULTS'],
  sentiment: ['SentimentClassifier', 'parseExamples', 'loadExamples', 'classificationMetrics', 'explainWithOcclusion'],
  seq2seq: ['Seq2Seq', 'Translator', 'greedySearch', 'beamSearch', 'corpusBleu', 'trainSeq2Seq', 'saveSeq2Seq', 'loadSeq2Seq'],
  text: ['WinkTokenizer', 'UnicodeWordTokenizer', 'Vocab', 'Bpe', 'learnBpe', 'Embedding', 'padSequences', 'bucketByLength', 'TextPipeline', 'loadPretrainedVectors'],
};

/** A small call that must work after install, from both module systems. `m` is the package. */
const smokeCall: Record<string, string> = {
  core: `const e = new m.RnnkitError('INVALID_ARGUMENT', 'x'); if (e.code !== 'INVALID_ARGUMENT' || !(e instanceof Error)) throw new Error('RnnkitError broken');
    const model = tf.sequential({ layers: [m.layers.lstm({ units: 3, inputShape: [4, 2] }), tf.layers.dense({ units: 1 })] });
    const y = model.predict(tf.ones([2, 4, 2]));
    if (y.shape.join() !== '2,1' || !Number.isFinite(y.dataSync()[0])) throw new Error('LSTM broken');`,
  seq2seq: `const b = m.corpusBleu(['the cat sat on the mat'], [['the cat sat on the mat']]); if (Math.abs(b.score - 100) > 1e-9) throw new Error('BLEU broken: ' + b.score);`,
  text: `const toks = new m.UnicodeWordTokenizer().tokenize('São Paulo, 2024'); if (toks[0].text !== 'São') throw new Error('tokenizer broken: ' + JSON.stringify(toks));`,
};

describe('published packages', () => {
  it('packs only what users need', () => {
    for (const name of publishable) {
      const listing = run('tar', ['-tzf', tarballs[name] as string], work).split('\n').filter(Boolean);
      expect(listing).toContain('package/package.json');
      expect(listing).toContain('package/README.md');
      expect(listing).toContain('package/dist/index.js');
      expect(listing).toContain('package/dist/index.cjs');
      expect(listing).toContain('package/dist/index.d.ts');
      expect(listing).toContain('package/dist/index.d.cts');
      expect(listing).toContain('package/LICENSE');
      const stray = listing.filter((f) => /\/(src|test|bench|examples)\//.test(f) || /\.test\./.test(f));
      expect(stray).toEqual([]);
      const manifest = JSON.parse(run('tar', ['-xzOf', tarballs[name] as string, 'package/package.json'], work)) as Record<string, Record<string, string> | undefined>;
      for (const deps of [manifest.dependencies, manifest.peerDependencies]) {
        for (const range of Object.values(deps ?? {})) expect(range).not.toMatch(/^workspace:/);
      }
      expect(manifest.peerDependencies?.['@tensorflow/tfjs']).toBeDefined();
    }
  });

  it.each(publishable)('@rnnkit/%s loads with import and with require in a fresh node process', (name) => {
    const app = appDir;
    const names = JSON.stringify(expectedExports[name] ?? []);
    const check = `for (const k of ${names}) { if (m[k] === undefined) throw new Error('missing export ' + k); } ${smokeCall[name] ?? ''} console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort()));`;
    writeFileSync(join(app, `check-${name}.mjs`), `import * as m from '@rnnkit/${name}';\nimport * as tf from '@tensorflow/tfjs';\n${check}\n`);
    writeFileSync(join(app, `check-${name}.cjs`), `const m = require('@rnnkit/${name}');\nconst tf = require('@tensorflow/tfjs');\n${check}\n`);
    const esmKeys = JSON.parse(run('node', [`check-${name}.mjs`], app)) as string[];
    const cjsKeys = JSON.parse(run('node', [`check-${name}.cjs`], app)) as string[];
    expect(esmKeys.length).toBeGreaterThan(0);
    expect(cjsKeys).toEqual(esmKeys);
  });

  it('rnnkit-convert (core bin) converts a Keras file and a PyTorch spec; stock tfjs and rnnkit load the output', () => {
    const app = appDir;
    const bin = join(app, 'node_modules/.bin/rnnkit-convert');
    const fixtures = join(repo, 'packages/core/test/fixtures');
    const convert = (...args: string[]) => spawnSync(bin, args, { cwd: app, encoding: 'utf8' });
    expect(convert(join(fixtures, 'keras/native/k3_seq_lstm.keras'), 'out-keras').status).toBe(0);
    const spec = { layers: [
      { type: 'embedding', prefix: 'emb', maskZero: true },
      { type: 'recurrent', prefix: 'rnn', mode: 'GRU', inputSize: 6, hiddenSize: 5, bidirectional: true, batchFirst: true, returnSequences: false },
      { type: 'linear', prefix: 'fc' },
    ] };
    writeFileSync(join(app, 'spec.json'), JSON.stringify(spec));
    expect(convert('--torch', 'spec.json', '--weights', join(fixtures, 'torch/classifier.safetensors'), 'out-torch').status).toBe(0);
    // Exit codes: usage 2, unreadable input 3, not a convertible model 4.
    expect(convert('--bogus').status).toBe(2);
    expect(convert('missing.keras', 'out-x').status).toBe(3);
    const custom = convert(join(fixtures, 'keras/native/k3_custom_layer.keras'), 'out-custom');
    expect(custom.status).toBe(4);
    expect(custom.stderr).toContain('MyAttentionPool');
    const check = `import * as tf from '@tensorflow/tfjs';
      import { readFileSync } from 'node:fs';
      import { loadLayersModel } from '@rnnkit/core';
      const fixtures = ${JSON.stringify(fixtures)};
      const worst = (y, want) => Math.max(...want.flat(3).map((v, i) => Math.abs(v - y[i])));
      const json = JSON.parse(readFileSync('out-keras/model.json', 'utf8'));
      const w = readFileSync('out-keras/' + json.weightsManifest[0].paths[0]);
      const stock = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) }));
      const k = JSON.parse(readFileSync(fixtures + '/keras/native/k3_seq_lstm.expected.json', 'utf8'));
      const x = tf.tensor2d(k.inputs[0], undefined, 'int32');
      const ours = await loadLayersModel('out-keras');
      const t = JSON.parse(readFileSync(fixtures + '/torch/classifier.json', 'utf8'));
      const torch = await loadLayersModel('out-torch');
      const errors = [worst(stock.predict(x).dataSync(), k.outputs[0]), worst(ours.predict(x).dataSync(), k.outputs[0]),
        worst(torch.predict(tf.tensor2d(t.ids, undefined, 'int32')).dataSync(), t.logits)];
      console.log(JSON.stringify(errors));`;
    writeFileSync(join(app, 'check-convert.mjs'), check);
    const errors = JSON.parse(run('node', ['check-convert.mjs'], app).trim().split('\n').pop() as string) as number[];
    for (const e of errors) expect(e).toBeLessThan(1e-5);
  });
});
