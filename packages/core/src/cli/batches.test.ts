import { PassThrough } from 'node:stream';
import { streamBatches } from './batches';
import { utf8Lines } from './lines';

describe('streamBatches', () => {
  it('fills batches from data that is already there', async () => {
    const out: number[][] = [];
    for await (const b of streamBatches((async function* () { for (let i = 0; i < 10; i++) yield i; })(), 4)) out.push(b);
    expect(out).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('hands out a batch as soon as the source waits for more input', async () => {
    const input = new PassThrough();
    const it = streamBatches(utf8Lines(input, 'stdin'), 256)[Symbol.asyncIterator]();
    input.write('a\nb\n');
    expect((await it.next()).value).toEqual(['a', 'b']); // c has not been written yet
    input.end('c\n');
    expect((await it.next()).value).toEqual(['c']);
    expect((await it.next()).done).toBe(true);
  });

  it('passes errors of the source through', async () => {
    const src = (async function* () {
      yield 1;
      throw new Error('boom');
    })();
    await expect((async () => { for await (const _ of streamBatches(src, 10)) void _; })()).rejects.toThrow('boom');
  });
});

describe('streamBatches memory', () => {
  it('pulls at most one batch (+1 line) ahead of the consumer over a long stream: memory stays flat', async () => {
    let pulled = 0;
    const source = (async function* () {
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield `line ${i}`;
      }
    })();
    let consumed = 0;
    let maxAhead = 0;
    for await (const b of streamBatches(source, 64)) {
      consumed += b.length;
      maxAhead = Math.max(maxAhead, pulled - consumed);
    }
    expect(consumed).toBe(100_000);
    expect(maxAhead).toBeLessThanOrEqual(1);
  });
});
