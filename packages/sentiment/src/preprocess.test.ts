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

  it('refuses a bad maxLength', () => {
    expect(() => new Preprocessor({ maxLength: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
