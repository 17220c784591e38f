import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeOfAsync } from '../../test/util/errors';
import { folderModelFiles, isModelUrl, modelBaseUrl, urlModelFiles } from './modelFiles';

/** A fetch answering from a table of URL -> Response factories (404 otherwise); records the URLs asked for. */
function fakeFetch(table: Record<string, () => Response>, asked: string[] = []): typeof fetch {
  return async (input) => {
    const url = String(input);
    asked.push(url);
    const make = table[url];
    return make ? make() : new Response('no', { status: 404 });
  };
}

describe('modelBaseUrl and isModelUrl', () => {
  it('resolves a folder, a folder/ or its model.json to the folder URL, without query or hash', () => {
    expect(modelBaseUrl('https://h/m').href).toBe('https://h/m/');
    expect(modelBaseUrl('https://h/m/').href).toBe('https://h/m/');
    expect(modelBaseUrl('https://h/m/model.json?v=2#x').href).toBe('https://h/m/');
  });

  it('resolves relative URLs against the page when there is one; without a page they are INVALID_ARGUMENT', () => {
    expect(() => modelBaseUrl('models/a')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const g = globalThis as { location?: unknown };
    g.location = { href: 'http://127.0.0.1:8080/demo/index.html' };
    try {
      expect(modelBaseUrl('models/a').href).toBe('http://127.0.0.1:8080/demo/models/a/');
    } finally {
      delete g.location;
    }
  });

  it('in Node only http(s) strings are URLs; paths are folders', () => {
    expect(isModelUrl('http://x/m')).toBe(true);
    expect(isModelUrl('HTTPS://x/m')).toBe(true);
    expect(isModelUrl('models/a')).toBe(false);
    expect(isModelUrl('/abs/models/a')).toBe(false);
  });
});

describe('urlModelFiles', () => {
  it('reads text and bytes, maps 404 to null and other statuses or a failed fetch to IO_ERROR', async () => {
    const asked: string[] = [];
    const files = urlModelFiles('http://h/m', {
      fetch: fakeFetch({
        'http://h/m/a.json': () => new Response('{"a":1}'),
        'http://h/m/w.bin': () => new Response(new Uint8Array([1, 2, 3])),
        'http://h/m/err.json': () => new Response('x', { status: 500 }),
      }, asked),
    });
    expect(await files.text('a.json')).toBe('{"a":1}');
    expect(new Uint8Array((await files.bytes('w.bin')) as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    expect(await files.text('none.json')).toBeNull();
    expect(await codeOfAsync(files.text('err.json'))).toBe('IO_ERROR');
    expect(asked).toEqual(['http://h/m/a.json', 'http://h/m/w.bin', 'http://h/m/none.json', 'http://h/m/err.json']);
    const offline = urlModelFiles('http://h/m', { fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(await codeOfAsync(offline.text('a.json'))).toBe('IO_ERROR');
  });

  it("sends the model URL's query (an access token) with every file, but not to a bundler's own asset URLs", async () => {
    const asked: string[] = [];
    const files = urlModelFiles('https://h/m/model.json?token=abc', {
      fetch: fakeFetch({
        'https://h/m/model.json?token=abc': () => new Response('{}'),
        'https://h/m/w.bin?token=abc': () => new Response(new Uint8Array([7])),
        'https://h/assets/v-123.json': () => new Response('{"v":1}'),
      }, asked),
    }, { 'vocab.json': 'https://h/assets/v-123.json' });
    expect(await files.text('model.json')).toBe('{}');
    expect(new Uint8Array((await files.bytes('w.bin')) as ArrayBuffer)).toEqual(new Uint8Array([7]));
    expect(await files.text('vocab.json')).toBe('{"v":1}');
    expect(asked).toEqual(['https://h/m/model.json?token=abc', 'https://h/m/w.bin?token=abc', 'https://h/assets/v-123.json']);
  });

  it('reports rising progress by bytes (Content-Length or the expected size) and 1 at the end', async () => {
    const body = new Uint8Array(1000);
    const stream = () => new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(body.subarray(i * 250, (i + 1) * 250));
        c.close();
      },
    });
    const seen: number[] = [];
    const files = urlModelFiles('http://h/m/', { fetch: fakeFetch({ 'http://h/m/w.bin': () => new Response(stream()) }), onProgress: (f) => seen.push(f) });
    expect(((await files.bytes('w.bin', 1000)) as ArrayBuffer).byteLength).toBe(1000);
    files.done();
    expect(seen).toEqual([0.25, 0.5, 0.75, 0.999, 1]);
  });

  it('reports nothing until a file of known size is requested (a small model.json first is not 100%)', async () => {
    const seen: number[] = [];
    const files = urlModelFiles('http://h/m/', {
      fetch: fakeFetch({ 'http://h/m/model.json': () => new Response('{}'), 'http://h/m/w.bin': () => new Response(new Uint8Array(998)) }),
      onProgress: (f) => seen.push(f),
    });
    await files.text('model.json');
    expect(seen).toEqual([]);
    await files.bytes('w.bin', 998);
    expect(seen).toEqual([0.999]); // 2 + 998 of 1000 bytes, capped below 1 until done()
    files.done();
    expect(seen).toEqual([0.999, 1]);
  });
});

describe('folderModelFiles', () => {
  it('reads files of a folder; a missing file is null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnkit-files-'));
    try {
      writeFileSync(join(dir, 'a.json'), 'hé');
      const files = folderModelFiles(dir);
      expect(await files.text('a.json')).toBe('hé');
      expect(((await files.bytes('a.json')) as ArrayBuffer).byteLength).toBe(3);
      expect(await files.text('b.json')).toBeNull();
      expect(await folderModelFiles(join(dir, 'nope')).text('a.json')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
