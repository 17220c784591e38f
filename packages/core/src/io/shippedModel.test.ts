import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { isRnnkitError } from '../errors';
import { locateShippedModel, shippedAssets } from './shippedModel';

describe('locateShippedModel', () => {
  it('turns file: URLs into the folder of model.json (Node)', async () => {
    const dir = path.resolve('/tmp/pkg/model');
    const m = await locateShippedModel({ 'model.json': pathToFileURL(path.join(dir, 'model.json')), 'w.bin': pathToFileURL(path.join(dir, 'w.bin')) });
    expect(m).toEqual({ kind: 'folder', dir });
  });

  it('keeps http URLs (a bundler\'s hashed assets) with the folder of model.json as base', async () => {
    const assets = { 'model.json': new URL('http://h/assets/model-1a2b.json'), 'w.bin': new URL('http://h/assets/w-3c4d.bin') };
    const m = await locateShippedModel(assets);
    expect(m.kind).toBe('url');
    if (m.kind === 'url') {
      expect(m.base.href).toBe('http://h/assets/');
      expect(m.assets).toBe(assets);
    }
  });

  it('takes the base from another file when model.json is inlined as a data: URL', async () => {
    const m = await locateShippedModel({ 'model.json': new URL('data:application/json;base64,e30='), 'w.bin': new URL('http://h/assets/w-3c4d.bin') });
    expect(m.kind === 'url' && m.base.href).toBe('http://h/assets/');
  });

  it('refuses a map without model.json', async () => {
    const err = await locateShippedModel({ 'w.bin': new URL('http://h/w.bin') }).catch((e: unknown) => e);
    expect(isRnnkitError(err, 'INVALID_ARGUMENT')).toBe(true);
  });
});

describe('shippedAssets', () => {
  it('says how to load the model when import.meta.url is missing', () => {
    let err: unknown;
    try {
      shippedAssets('@rnnkit/x', () => ({ 'model.json': new URL('../model/model.json', undefined as unknown as string) }));
    } catch (e) {
      err = e;
    }
    expect(isRnnkitError(err, 'UNSUPPORTED')).toBe(true);
    expect((err as Error).message).toContain('load(url)');
  });
});
