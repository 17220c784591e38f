// Runs the Usage block of README.md (mirrored here; the test checks that the README still contains it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bpe, TextPipeline, Vocab, WinkTokenizer, assertVocabMatches, createNormalizer, makeBatches, paddingFraction } from '../src/index';

describe('README usage', () => {
  it('runs as documented', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain("const pipeline = new TextPipeline({ normalizer, tokenizer, bpe, vocab, addEos: true });");

    const corpus = ["L'été à São Paulo !", 'Привет, мир !', 'the cat sat on the mat .', 'the dog sat .'];
    const normalizer = createNormalizer(['unescapeMoses', 'nfkc', 'lowercase']);
    const tokenizer = new WinkTokenizer();

    const tokens = tokenizer.tokenize('São Paulo 😀 #nlp');
    expect(tokens.map((t) => [t.text, t.start, t.end, t.type])).toEqual([
      ['São', 0, 3, 'word'],
      ['Paulo', 4, 9, 'word'],
      ['😀', 10, 12, 'emoji'],
      ['#nlp', 13, 17, 'hashtag'],
    ]);

    const words = corpus.map((s) => tokenizer.tokenize(normalizer(s)).map((t) => t.text));
    const bpe = Bpe.learn(words.map((w) => w.join(' ')), { numMerges: 50 });
    const vocab = Vocab.build(words.map((w) => bpe.encodeWords(w)), { minFreq: 1 });

    const pipeline = new TextPipeline({ normalizer, tokenizer, bpe, vocab, addEos: true });
    const { ids, tokens: pieces, offsets } = pipeline.encode('The cat sat.');
    expect(ids[ids.length - 1]).toBe(vocab.eosId);
    expect(pieces).toHaveLength(ids.length);
    expect(offsets).toHaveLength(ids.length);
    expect(pipeline.decode(ids)).toBe('the cat sat .');

    const batches = makeBatches(corpus.map((s) => pipeline.encode(s).ids), { batchSize: 2, padding: 'post', seed: 1 });
    expect(paddingFraction(batches)).toBeLessThan(0.5);
    expect(() => assertVocabMatches(vocab, vocab.fingerprint)).not.toThrow();
  });

  it('pipeline offsets point into the normalized text, subword by subword', () => {
    const tokenizer = new WinkTokenizer();
    const bpe = Bpe.learn(['lower lowest low low'], { numMerges: 5 });
    const vocab = bpe.toVocab();
    const p = new TextPipeline({ tokenizer, bpe, vocab, addBos: true });
    const e = p.encode('lowest low');
    expect(e.tokens[0]).toBe('<bos>');
    for (let i = 1; i < e.tokens.length; i++) {
      const [s, t] = e.offsets[i] as [number, number];
      expect(e.normalized.slice(s, t)).toBe((e.tokens[i] as string).replace('</w>', ''));
    }
    expect(p.tokenize('low')).toEqual(['low</w>']);
    const batch = p.encodeBatch(['low', 'lowest low']);
    expect(batch.ids[0]?.length).toBe(batch.ids[1]?.length);
    expect(() => new TextPipeline({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
