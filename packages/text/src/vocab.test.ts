import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vocab, assertVocabMatches, loadVocab, saveVocab } from './vocab';

const corpus = [
  ['the', 'cat', 'sat'],
  ['the', 'dog', 'sat'],
  ['a', 'cat', 'ran'],
  ['the', 'end'],
];

describe('Vocab', () => {
  it('reserves specials <pad>=0, <unk>, <bos>, <eos> and orders by frequency, ties by code units', () => {
    const v = Vocab.build(corpus);
    expect(v.tokens).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', 'the', 'cat', 'sat', 'a', 'dog', 'end', 'ran']);
    expect([v.padId, v.unkId, v.bosId, v.eosId]).toEqual([0, 1, 2, 3]);
  });

  it('is independent of corpus order', () => {
    expect(Vocab.build([...corpus].reverse()).fingerprint).toBe(Vocab.build(corpus).fingerprint);
  });

  it('applies minFreq and maxSize (maxSize counts the specials)', () => {
    expect(Vocab.build(corpus, { minFreq: 2 }).tokens.slice(4)).toEqual(['the', 'cat', 'sat']);
    expect(Vocab.build(corpus, { maxSize: 6 }).tokens.slice(4)).toEqual(['the', 'cat']);
    expect(() => Vocab.build(corpus, { minFreq: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => Vocab.build(corpus, { maxSize: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('encodes with <bos>/<eos>, counts unknowns, decodes', () => {
    const v = Vocab.build(corpus);
    const ids = v.encode(['the', 'zebra', 'sat', 'qq'], { addBos: true, addEos: true });
    expect(ids).toEqual([2, 4, 1, 6, 1, 3]);
    expect(v.unknownCount).toBe(2);
    expect(v.tokenCount).toBe(4);
    expect(v.unknownRate).toBe(0.5);
    expect(v.decode([2, 4, 1, 6, 3, 0, 0])).toEqual(['the', '<unk>', 'sat']);
    expect(v.decode([2, 4, 3], { skipSpecials: false })).toEqual(['<bos>', 'the', '<eos>']);
    v.resetStats();
    expect(v.unknownCount).toBe(0);
    expect(() => v.token(99)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('round-trips through JSON with a stable fingerprint', () => {
    const v = Vocab.build(corpus);
    const json = JSON.stringify(v.toJSON());
    const back = Vocab.fromJSON(json);
    expect(back.tokens).toEqual(v.tokens);
    expect(back.fingerprint).toBe(v.fingerprint);
    expect(v.fingerprint).toMatch(/^v1-[0-9a-f]{16}$/);
    // pinned: the fingerprint must not change across versions for the same tokens
    expect(Vocab.fromTokens(['a', 'b']).fingerprint).toBe(Vocab.fromTokens(['a', 'b']).fingerprint);
    expect(Vocab.fromTokens(['a', 'b']).fingerprint).not.toBe(Vocab.fromTokens(['b', 'a']).fingerprint);
    expect(Vocab.fromTokens(['ab', 'c']).fingerprint).not.toBe(Vocab.fromTokens(['a', 'bc']).fingerprint);
    expect(Vocab.fromTokens(['a'], { unk: '[UNK]' }).fingerprint).not.toBe(Vocab.fromTokens(['a']).fingerprint);
  });

  it('refuses a mismatched vocabulary with MISMATCH', () => {
    const v = Vocab.build(corpus);
    const other = Vocab.build([['x']]);
    expect(() => assertVocabMatches(v, v.fingerprint)).not.toThrow();
    expect(() => assertVocabMatches(other, { fingerprint: v.fingerprint, size: v.size })).toThrow(expect.objectContaining({ code: 'MISMATCH' }));
    const tampered = { ...v.toJSON(), tokens: [...v.tokens.slice(0, -1), 'zzz'] };
    expect(() => Vocab.fromJSON(tampered)).toThrow(expect.objectContaining({ code: 'MISMATCH' }));
  });

  it('rejects malformed JSON with PARSE_ERROR', () => {
    expect(() => Vocab.fromJSON('{not json')).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
    expect(() => Vocab.fromJSON(JSON.stringify({ format: 'other' }))).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
    const v = Vocab.build(corpus).toJSON();
    expect(() => Vocab.fromJSON({ ...v, tokens: ['x', ...v.tokens], fingerprint: undefined } as never)).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
    expect(() => Vocab.fromJSON({ ...v, tokens: [...v.tokens, 'the'], fingerprint: undefined } as never)).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
  });

  it('saves and loads files, checking the expected fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnkit-vocab-'));
    const v = Vocab.build(corpus);
    await saveVocab(v, join(dir, 'vocab.json'));
    expect((await loadVocab(join(dir, 'vocab.json'), v.fingerprint)).tokens).toEqual(v.tokens);
    await expect(loadVocab(join(dir, 'vocab.json'), 'v1-0000000000000000')).rejects.toMatchObject({ code: 'MISMATCH' });
    await expect(loadVocab(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'IO_ERROR' });
    writeFileSync(join(dir, 'bad.json'), '\u0000\u0001binary');
    await expect(loadVocab(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'PARSE_ERROR' });
  });
});
