import NaturalTreebank from 'natural/lib/natural/tokenizers/treebank_word_tokenizer.js';
import { treebankWords } from './treebank';

// natural's own module (Node only: it requires `util`) is the reference for the browser-safe port.
const CASES = [
  "I can't believe it's not butter, she said. Gimme a break!",
  "Whaddya think? Gonna go, wanna come... 'Tis the season; T'was fine.",
  'A "quoted" phrase (with brackets) & more: 3.5 + 4/2 <tags> e-mail co-op.',
  "They'll've gone; we'd, I'm, you're, D'ye, Mor'n, cannot, gotta, lemme.",
  'Ends with a full stop.\nNext line ends too.   ',
  "l'amour n'est pas São Paulo — naïve café, 東京 ok?!",
  '',
  '   ',
];

describe('treebankWords', () => {
  it.each(CASES)('splits %j exactly as natural does', (text) => {
    expect(treebankWords(text)).toEqual(new NaturalTreebank().tokenize(text));
  });
});
