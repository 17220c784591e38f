// Loading a classifier over HTTP: small models saved to a temp folder (and the shipped model) served by
// a local node:http server on the loopback address, plus an injected fetch for network failures.
import * as tf from '@tensorflow/tfjs';
import { createServer, type Server } from 'node:http';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { initBackend, isRnnkitError } from '@rnnkit/core';
import { SentimentClassifier } from '../src/index';
import { tinyData } from './helpers';

const SHIPPED = join(__dirname, '..', 'model');
let root: string;
let server: Server;
let base: string;
let clf: SentimentClassifier;
const TEXTS = ['a good film', 'the plot was boring', 'really awful music', 'great', ''];

async function codeOf(p: Promise<SentimentClassifier>): Promise<string | undefined> {
  try {
    (await p).dispose();
  } catch (e) {
    return isRnnkitError(e) ? e.code : `OTHER: ${String(e)}`;
  }
  return undefined;
}

function weightsFile(dir: string): string {
  return readdirSync(dir).find((f) => f.endsWith('.bin')) as string;
}

/** A copy of the saved model under `name`, changed by `edit`; returns its URL. */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = join(root, name);
  cpSync(join(root, 'good'), dir, { recursive: true });
  edit(dir);
  return `${base}/${name}/`;
}

beforeAll(async () => {
  await initBackend();
  root = mkdtempSync(join(tmpdir(), 'rnnkit-sentiment-url-'));
  clf = new SentimentClassifier({ embeddingDim: 8, units: 4, seed: 2 });
  await clf.build((await tinyData()).train); // random weights are enough to compare loaders
  await clf.save(join(root, 'good'));
  await clf.save(join(root, 'mixed'), { quantization: 'mixed' });
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.startsWith('/status503/')) {
      res.writeHead(503).end();
      return;
    }
    const file = path.startsWith('/shipped/') ? join(SHIPPED, path.slice('/shipped/'.length)) : join(root, normalize(path));
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-length': body.byteLength }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  clf?.dispose();
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('SentimentClassifier.fromUrl', () => {
  it('loads what the folder loader loads: same labels, probabilities and explanations', async () => {
    const before = tf.memory().numTensors;
    const viaUrl = await SentimentClassifier.fromUrl(`${base}/good/`);
    expect(viaUrl.labels).toEqual(clf.labels);
    const a = clf.predictBatch(TEXTS);
    viaUrl.predictBatch(TEXTS).forEach((p, i) => {
      expect(p.label).toBe(a[i]?.label);
      expect(p.confidence).toBeCloseTo(a[i]?.confidence as number, 6);
    });
    expect(viaUrl.explain('a good film').tokens.map((t) => t.contribution)).toEqual(clf.explain('a good film').tokens.map((t) => t.contribution));
    viaUrl.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads quantized weights, takes the URL through load(), and reports progress ending at 1', async () => {
    const seen: number[] = [];
    const q = await SentimentClassifier.load(`${base}/mixed/model.json`, { onProgress: (f) => seen.push(f) });
    q.predictBatch(TEXTS).forEach((p, i) => expect(p.scores.pos).toBeCloseTo(clf.predictBatch(TEXTS)[i]?.scores.pos as number, 1));
    q.dispose();
    expect(seen[seen.length - 1]).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i] as number).toBeGreaterThan(seen[i - 1] as number);
  });

  it('the shipped model over HTTP equals the shipped model from its folder', async () => {
    const [http, disk] = await Promise.all([SentimentClassifier.fromUrl(`${base}/shipped`), SentimentClassifier.load(SHIPPED)]);
    const texts = ['not bad at all, a warm and funny film', 'a dull, lifeless mess'];
    const a = disk.predictBatch(texts);
    http.predictBatch(texts).forEach((p, i) => {
      expect(p.label).toBe(a[i]?.label);
      expect(p.confidence).toBeCloseTo(a[i]?.confidence as number, 6);
    });
    http.dispose();
    disk.dispose();
  });
});

describe('URL loader failures (codes; no tensors left behind)', () => {
  let before: number;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('404 for sentiment.json, model.json or the weights is INVALID_MODEL', async () => {
    expect(await codeOf(SentimentClassifier.fromUrl(`${base}/missing/`))).toBe('INVALID_MODEL');
    expect(await codeOf(SentimentClassifier.fromUrl(variant('nomodel', (d) => rmSync(join(d, 'model.json')))))).toBe('INVALID_MODEL');
    expect(await codeOf(SentimentClassifier.fromUrl(variant('noweights', (d) => rmSync(join(d, weightsFile(d))))))).toBe('INVALID_MODEL');
  });

  it('another HTTP status or a network failure is IO_ERROR', async () => {
    expect(await codeOf(SentimentClassifier.fromUrl(`${base}/status503/`))).toBe('IO_ERROR');
    const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await codeOf(SentimentClassifier.fromUrl(`${base}/good/`, { fetch: offline }))).toBe('IO_ERROR');
  });

  it('bad JSON in sentiment.json or model.json is INVALID_MODEL', async () => {
    expect(await codeOf(SentimentClassifier.fromUrl(variant('badmeta', (d) => writeFileSync(join(d, 'sentiment.json'), '<!doctype html>'))))).toBe('INVALID_MODEL');
    expect(await codeOf(SentimentClassifier.fromUrl(variant('badmodel', (d) => writeFileSync(join(d, 'model.json'), '{"modelTopology":'))))).toBe('INVALID_MODEL');
  });

  it('truncated weights are INVALID_MODEL; a vocabulary that does not match is MISMATCH', async () => {
    const cut = variant('truncated', (d) => {
      const f = join(d, weightsFile(d));
      writeFileSync(f, readFileSync(f).subarray(0, 64));
    });
    for (let i = 0; i < 3; i++) expect(await codeOf(SentimentClassifier.fromUrl(cut))).toBe('INVALID_MODEL');
    const vocab = variant('vocab', (d) => {
      const meta = JSON.parse(readFileSync(join(d, 'sentiment.json'), 'utf8'));
      meta.vocab.tokens.push('extra-word');
      writeFileSync(join(d, 'sentiment.json'), JSON.stringify(meta));
    });
    expect(await codeOf(SentimentClassifier.fromUrl(vocab))).toBe('MISMATCH');
  });

  it('hostile manifests: ../ paths and other origins are UNSAFE_PATH, NaN weights INVALID_MODEL (issue 16)', async () => {
    const manifestPaths = (paths: string[]) => (d: string) => {
      const json = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8'));
      json.weightsManifest[0].paths = paths;
      writeFileSync(join(d, 'model.json'), JSON.stringify(json));
    };
    const w = weightsFile(join(root, 'good'));
    // the same file one folder up: served, the right size, but outside the model's folder
    cpSync(join(root, 'good', w), join(root, w));
    const traversal = variant('url-traversal', manifestPaths(['../good/' + w]));
    expect(await codeOf(SentimentClassifier.fromUrl(traversal))).toBeUndefined(); // same origin: allowed for URLs
    expect(await codeOf(SentimentClassifier.fromUrl(variant('url-other-origin', manifestPaths([`http://localhost:1/${w}`]))))).toBe('UNSAFE_PATH');
    const nan = variant('url-nan', (d) => {
      const f = join(d, weightsFile(d));
      const b = readFileSync(f);
      b.writeFloatLE(Number.NaN, 0);
      writeFileSync(f, b);
    });
    expect(await codeOf(SentimentClassifier.fromUrl(nan))).toBe('INVALID_MODEL');
    // the folder loader: ../ is refused and the outside file never read
    const dir = join(root, 'folder-traversal');
    cpSync(join(root, 'good'), dir, { recursive: true });
    manifestPaths([`../${w}`])(dir);
    expect(await codeOf(SentimentClassifier.load(dir))).toBe('UNSAFE_PATH');
  });

  it('a network that does not match sentiment.json is MISMATCH and is disposed', async () => {
    const labels = variant('labels', (d) => {
      const meta = JSON.parse(readFileSync(join(d, 'sentiment.json'), 'utf8'));
      meta.labels = ['a', 'b', 'c'];
      writeFileSync(join(d, 'sentiment.json'), JSON.stringify(meta));
    });
    expect(await codeOf(SentimentClassifier.fromUrl(labels))).toBe('MISMATCH');
  });
});
