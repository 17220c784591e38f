import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bpe, END_OF_WORD, countWords, learnBpe, learnBpeMerges, loadBpe, saveBpe } from './index';

function syntheticCorpus(n: number, seed = 1): string[] {
  let x = seed;
  const rnd = () => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
  const sylls = ['ka', 'ri', 'to', 'ma', 'ne', 'su', 'lo', 'pa', 'aa', 'a', 'te', 'é', 'ж', '北'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const words: string[] = [];
    for (let j = 0; j < 6; j++) {
      let w = '';
      const len = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < len; k++) w += sylls[Math.floor(rnd() * sylls.length)];
      words.push(w);
    }
    out.push(words.join(' '));
  }
  return out;
}

/** Reference: recount all pairs from scratch (the slow algorithm), to check each merge picked a most frequent pair. */
function replayAndCheck(counts: Map<string, number>, merges: ReadonlyArray<readonly [string, string]>): void {
  let words = [...counts].map(([w, c]) => ({ s: Array.from(w).map((ch, i, a) => (i === a.length - 1 ? ch + END_OF_WORD : ch)), c }));
  for (const [a, b] of merges) {
    const pc = new Map<string, number>();
    for (const { s, c } of words) for (let i = 0; i + 1 < s.length; i++) pc.set(`${s[i]}\u0000${s[i + 1]}`, (pc.get(`${s[i]}\u0000${s[i + 1]}`) ?? 0) + c);
    const best = Math.max(...pc.values());
    expect(pc.get(`${a}\u0000${b}`)).toBe(best);
    words = words.map(({ s, c }) => {
      const o: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (s[i] === a && s[i + 1] === b) {
          o.push(a + b);
          i++;
        } else o.push(s[i] as string);
      }
      return { s: o, c };
    });
  }
}

describe('BPE learning', () => {
  const corpus = syntheticCorpus(400);

  it('picks a most frequent pair at every merge (checked against a full recount)', () => {
    const counts = countWords(corpus);
    const { merges } = learnBpeMerges(counts, { numMerges: 60 });
    expect(merges).toHaveLength(60);
    replayAndCheck(counts, merges);
  });

  it('is deterministic and independent of corpus order', () => {
    const a = learnBpe(corpus, { numMerges: 80 });
    const b = learnBpe([...corpus].reverse(), { numMerges: 80 });
    expect(b.merges).toEqual(a.merges);
  });

  it('stops at vocabSize (alphabet + merges) and at minFrequency', () => {
    const bpe = learnBpe(corpus, { vocabSize: 50 });
    expect(bpe.alphabet.length + bpe.merges.length).toBe(50);
    const rare = learnBpe(['ab ab cd'], { numMerges: 100, minFrequency: 2 });
    expect(rare.merges).toEqual([['a', 'b</w>']]);
    expect(() => learnBpe(corpus, {})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => learnBpe(corpus, { numMerges: 5, minFrequency: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('handles overlapping pairs like "aaaa" left to right', () => {
    const bpe = learnBpe(['aaaa aaaa aaaa'], { numMerges: 1 });
    expect(bpe.merges).toEqual([['a', 'a']]);
    expect(bpe.encodeWord('aaaa')).toEqual(['aa', 'a', 'a</w>']);
    expect(bpe.encodeWord('aaaaaa')).toEqual(['aa', 'aa', 'a', 'a</w>']);
  });
});

describe('BPE apply', () => {
  const corpus = syntheticCorpus(300);
  const bpe = learnBpe(corpus, { numMerges: 100 });

  it('round-trips decode(encode(x)) exactly for whitespace-tokenized text, incl. unseen words and characters', () => {
    for (const s of [...corpus.slice(0, 50), 'zzz qqq', 'Привет мир 😀 ok', 'a', '']) expect(bpe.decode(bpe.encode(s))).toBe(s);
  });

  it('marks the end of each word', () => {
    const pieces = bpe.encode('kari tomasu');
    expect(pieces.filter((p) => p.endsWith(END_OF_WORD))).toHaveLength(2);
    expect(pieces[pieces.length - 1]?.endsWith(END_OF_WORD)).toBe(true);
  });

  it('caches repeated words and gives the same result from cache', () => {
    const fresh = new Bpe(bpe.alphabet, bpe.merges);
    const first = fresh.encodeWord('karitoma');
    expect(fresh.cachedWords).toBe(1);
    first.push('mutated');
    expect(fresh.encodeWord('karitoma')).toEqual(first.slice(0, -1));
    const uncached = new Bpe(bpe.alphabet, bpe.merges, { cacheSize: 0 });
    expect(uncached.encodeWord('karitoma')).toEqual(first.slice(0, -1));
    expect(uncached.cachedWords).toBe(0);
  });

  it('saves and loads as JSON with identical output', () => {
    const back = Bpe.fromJSON(JSON.stringify(bpe.toJSON()));
    for (const s of corpus.slice(0, 20)) expect(back.encode(s)).toEqual(bpe.encode(s));
    expect(() => Bpe.fromJSON('nope')).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
    expect(() => Bpe.fromJSON({ format: 'x' } as never)).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
    expect(() => Bpe.fromJSON({ ...bpe.toJSON(), merges: [['a']] } as never)).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
  });

  it('saves and loads files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnkit-bpe-'));
    await saveBpe(bpe, join(dir, 'bpe.json'));
    expect((await loadBpe(join(dir, 'bpe.json'))).merges).toEqual(bpe.merges);
    await expect(loadBpe(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'IO_ERROR' });
    writeFileSync(join(dir, 'bad.json'), '\u0000binary');
    await expect(loadBpe(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'PARSE_ERROR' });
  });

  it('joint vs separate: a model learned per corpus only knows its own script', () => {
    const src = learnBpe(['кошка сидит', 'кошка спит'], { numMerges: 10 });
    const tgt = learnBpe(['the cat sits', 'the cat sleeps'], { numMerges: 10 });
    const joint = learnBpe(['кошка сидит', 'кошка спит', 'the cat sits', 'the cat sleeps'], { numMerges: 20 });
    expect(src.encode('кошка')).toEqual(['кошка</w>']);
    expect(tgt.encode('кошка').length).toBe(5);
    expect(joint.encode('кошка cat')).toEqual(['кошка</w>', 'cat</w>']);
  });

  it('gives a Vocab of all its symbols', () => {
    const v = bpe.toVocab();
    for (const p of bpe.encode(corpus[0] as string)) expect(v.has(p)).toBe(true);
    expect(v.size).toBe(4 + new Set([...bpe.alphabet, ...bpe.merges.map(([a, b]) => a + b)]).size);
  });

  it('learns 20,000 sentences quickly (incremental algorithm)', () => {
    const big = syntheticCorpus(20000, 7);
    const t0 = Date.now();
    const m = learnBpe(big, { numMerges: 2000, minFrequency: 1 });
    expect(m.merges.length).toBeGreaterThan(500);
    expect(Date.now() - t0).toBeLessThan(10000);
  });
});
