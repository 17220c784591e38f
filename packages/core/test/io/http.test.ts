// loadLayersModel from an http(s) URL (tf.io.http with the runtime's fetch), served by a local server.
import * as tf from '@tensorflow/tfjs';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadLayersModel } from '../../src/io';
import { isRnnkitError } from '../../src/errors';
import { expectClose } from '../util/backends';

const FIXTURES = join(__dirname, '..', 'fixtures', 'keras');
const CASE = 'k3_bidi_gru_ave';

describe('loadLayersModel(URL)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    server = createServer((req, res) => {
      const path = decodeURIComponent(req.url ?? '/');
      try {
        let body = readFileSync(join(FIXTURES, path.replace(/^\/(short\/)?/, '')));
        if (path.startsWith('/short/') && path.endsWith('.bin')) body = body.subarray(0, 100);
        res.writeHead(200, { 'Content-Type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404);
        res.end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads a Keras fixture over http and matches the reference', async () => {
    const e = JSON.parse(readFileSync(join(FIXTURES, CASE, 'expected.json'), 'utf8')) as { inputs: number[][]; outputs: number[][] };
    const model = await loadLayersModel(`${base}/${CASE}/model.json`);
    const x = tf.tensor(e.inputs[0] as number[]);
    const y = model.predict(x) as tf.Tensor;
    expectClose(y, e.outputs[0] as never);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a missing URL is IO_ERROR, a short weights file INVALID_MODEL, without leaks', async () => {
    for (const [url, code] of [[`${base}/nothing/model.json`, 'IO_ERROR'], [`${base}/short/${CASE}/model.json`, 'INVALID_MODEL']] as const) {
      const n = tf.memory().numTensors;
      let err: unknown;
      try {
        await loadLayersModel(url);
      } catch (e) {
        err = e;
      }
      expect(isRnnkitError(err, code)).toBe(true);
      expect(tf.memory().numTensors).toBe(n);
    }
  });
});
