import { Vocab } from '@rnnkit/text';
import { Preprocessor } from './preprocess';

describe('Preprocessor', () => {
  const p = new Preprocessor();

  it('reads raw text the way SST is tokenized (lowercase, Treebank, PTB escapes unified)', () => {
    expect(p.tokens("It's NOT bad (really)!")).toEqual(['it', "'s", 'not', 'bad', '(', 'really', ')', '!']);
    expect(p.tokens("it 's not bad -lrb- really -rrb- !")).toEqual(['it', "'s", 'not', 'bad', '(', 'really', ')', '!']);
    expect(p.tokens("doesn't")).toEqual(p.tokens("does n't"));
  });

  it('cuts at maxLength and maps unknown words to <unk>', () => {
    const short = new Preprocessor({ maxLength: 3 });
    expect(short.tokens('a b c d e')).toEqual(['a', 'b', 'c']);
    const vocab = Vocab.fromTokens(['good']);
    expect(p.ids('good stuff', vocab)).toEqual([vocab.id('good'), vocab.unkId]);
  });

  it('reads sentiment emoji as words only when the config asks, ❤️ with or without its variation selector', () => {
    const e = new Preprocessor({ emoji: true });
    expect(e.tokens('This film 👎')).toEqual(['this', 'film', 'bad']);
    expect(e.tokens('I ❤️ it, I ❤ it👍')).toEqual(['i', 'love', 'it', ',', 'i', 'love', 'it', 'good']);
    expect(e.tokens('a 🔥 film 😂')).toEqual(p.tokens('a 🔥 film 😂')); // no word for emoji of doubtful sentiment
    expect(p.tokens('This film 👎')).not.toContain('bad'); // off by default: older models read text as they were trained
    expect(new Preprocessor().config.emoji).toBeUndefined();
  });

  it('refuses a bad maxLength', () => {
    expect(() => new Preprocessor({ maxLength: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
