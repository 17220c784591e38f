// Loading a translator over HTTP: a tiny model saved to a temp folder and served by a local node:http
// server (loopback only), plus an injected fetch for the failures a server does not produce on demand.
import * as tf from '@tensorflow/tfjs';
import { createServer, type Server } from 'node:http';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { modelBaseUrl } from '@rnnkit/core';
import { Vocab } from '@rnnkit/text';
import { Translator } from '../src/translator';
import { loadSeq2SeqFromUrl } from '../src/io';
import { DIGITS, tinyTranslator } from './tinyModel';
import { codeOfAsync } from './errors';

let root: string;
let server: Server;
let base: string;
let original: Translator;
const requests: string[] = [];

/** A copy of the good model under `name`, changed by `edit`. */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = join(root, name);
  cpSync(join(root, 'good'), dir, { recursive: true });
  edit(dir);
  return `${base}/${name}/`;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rnnkit-url-'));
  original = await tinyTranslator(5);
  await original.save(join(root, 'good'));
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (path.startsWith('/status500/')) {
      res.writeHead(500).end('boom');
      return;
    }
    try {
      const body = readFileSync(join(root, normalize(path)));
      res.writeHead(200, { 'content-length': body.byteLength }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  original?.dispose();
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('Translator.fromUrl', () => {
  it('loads the same model as the folder loader: same translations, scores and attention', async () => {
    const before = tf.memory().numTensors;
    const t = await Translator.fromUrl(`${base}/good/`);
    const a = original.translate(['1 2 3', '9 8 7 6'], { beam: 2 });
    const b = t.translate(['1 2 3', '9 8 7 6'], { beam: 2 });
    expect(b.map((x) => x.text)).toEqual(a.map((x) => x.text));
    b.forEach((x, i) => {
      expect(x.score).toBeCloseTo(a[i]?.score as number, 5);
      expect(x.attention).toEqual(a[i]?.attention);
    });
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Translator.load takes an http URL; a base may be given with or without a slash, or as its model.json', async () => {
    for (const url of [`${base}/good`, `${base}/good/model.json`]) {
      const t = await Translator.load(url);
      expect(t.model.getConfig()).toEqual(original.model.getConfig());
      t.dispose();
    }
    expect(modelBaseUrl('http://h/a/b?x=1').href).toBe('http://h/a/b/');
    expect(modelBaseUrl('http://h/a/model.json').href).toBe('http://h/a/');
  });

  it('reports rising progress that ends at 1, and uses an injected fetch', async () => {
    const seen: number[] = [];
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const t = await Translator.fromUrl(`${base}/good/`, { fetch: counting, onProgress: (f) => seen.push(f) });
    t.dispose();
    expect(calls).toBe(4); // model.json, two vocabularies, weights (no BPE in this model: none fetched)
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[seen.length - 1]).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i] as number).toBeGreaterThan(seen[i - 1] as number);
  });

  it('a relative URL outside a page or worker is INVALID_ARGUMENT', async () => {
    expect(await codeOfAsync(Translator.fromUrl('models/en-fr/'))).toBe('INVALID_ARGUMENT');
  });
});

describe('URL loader failures (codes; no tensors left behind)', () => {
  let before: number;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('404 for model.json or for the weights is INVALID_MODEL', async () => {
    expect(await codeOfAsync(Translator.fromUrl(`${base}/missing/`))).toBe('INVALID_MODEL');
    const url = variant('noweights', (d) => rmSync(join(d, 'weights.bin')));
    expect(await codeOfAsync(Translator.fromUrl(url))).toBe('INVALID_MODEL');
  });

  it('another HTTP error, or no server at all, is IO_ERROR', async () => {
    expect(await codeOfAsync(Translator.fromUrl(`${base}/status500/`))).toBe('IO_ERROR');
    const refused: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    expect(await codeOfAsync(Translator.fromUrl(`${base}/good/`, { fetch: refused }))).toBe('IO_ERROR');
  });

  it('bad JSON in model.json or a vocabulary is INVALID_MODEL', async () => {
    expect(await codeOfAsync(Translator.fromUrl(variant('badjson', (d) => writeFileSync(join(d, 'model.json'), '{not json'))))).toBe('INVALID_MODEL');
    expect(await codeOfAsync(Translator.fromUrl(variant('badvocab', (d) => writeFileSync(join(d, 'src_vocab.json'), '<html>'))))).toBe('INVALID_MODEL');
    expect(await codeOfAsync(Translator.fromUrl(variant('notmodel', (d) => writeFileSync(join(d, 'model.json'), '{"format":"other"}'))))).toBe('INVALID_MODEL');
  });

  it('truncated or over-long weights are INVALID_MODEL, checked before any tensor is made', async () => {
    const cut = variant('truncated', (d) => {
      const w = readFileSync(join(d, 'weights.bin'));
      writeFileSync(join(d, 'weights.bin'), w.subarray(0, w.byteLength - 4));
    });
    expect(await codeOfAsync(Translator.fromUrl(cut))).toBe('INVALID_MODEL');
    const long = variant('long', (d) => {
      const w = readFileSync(join(d, 'weights.bin'));
      writeFileSync(join(d, 'weights.bin'), Buffer.concat([w, Buffer.alloc(8)]));
    });
    expect(await codeOfAsync(Translator.fromUrl(long))).toBe('INVALID_MODEL');
  });

  it('a weight of the wrong shape is WEIGHT_MISMATCH; a different vocabulary is MISMATCH', async () => {
    const shapes = variant('shape', (d) => {
      const json = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8'));
      const [a, b] = json.weightsManifest[0].weights.slice(0, 2);
      [a.shape, b.shape] = [[a.shape[0] * a.shape[1]], [b.shape[0] * b.shape[1]]]; // same bytes, other shapes
      writeFileSync(join(d, 'model.json'), JSON.stringify(json));
    });
    expect(await codeOfAsync(Translator.fromUrl(shapes))).toBe('WEIGHT_MISMATCH');
    const vocab = variant('vocab', (d) => writeFileSync(join(d, 'tgt_vocab.json'), JSON.stringify(Vocab.fromTokens([...DIGITS].reverse()).toJSON())));
    expect(await codeOfAsync(Translator.fromUrl(vocab))).toBe('MISMATCH');
  });

  it('many failed loads leave the tensor count flat', async () => {
    const cut = `${base}/truncated/`;
    const shapes = `${base}/shape/`;
    for (let i = 0; i < 5; i++) {
      expect(await codeOfAsync(loadSeq2SeqFromUrl(cut))).toBe('INVALID_MODEL');
      expect(await codeOfAsync(loadSeq2SeqFromUrl(shapes))).toBe('WEIGHT_MISMATCH');
    }
  });
});
