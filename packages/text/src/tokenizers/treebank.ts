// Penn Treebank word splitting as natural's TreebankWordTokenizer does it, regex for regex
// (natural/lib/natural/tokenizers/treebank_word_tokenizer.js, MIT, Copyright (c) 2011 Chris Umbel).
// natural's module needs Node's `util` at load (for util.inherits), which browsers do not have, so
// @rnnkit/text keeps the algorithm here (no natural install needed); treebank.test.ts pins it to
// natural's own module.
import { WrappedTokenizer } from './wrapped';

const CONTRACTIONS_2 = [
  /(.)('ll|'re|'ve|n't|'s|'m|'d)\b/gi,
  /\b(can)(not)\b/gi,
  /\b(D)('ye)\b/gi,
  /\b(Gim)(me)\b/gi,
  /\b(Gon)(na)\b/gi,
  /\b(Got)(ta)\b/gi,
  /\b(Lem)(me)\b/gi,
  /\b(Mor)('n)\b/gi,
  /\b(T)(is)\b/gi,
  /\b(T)(was)\b/gi,
  /\b(Wan)(na)\b/gi,
];

const CONTRACTIONS_3 = [/\b(Whad)(dd)(ya)\b/gi, /\b(Wha)(t)(cha)\b/gi];

/** natural's TreebankWordTokenizer#tokenize: the token strings of `text` ("can't" → "ca", "n't"). */
export function treebankWords(text: string): string[] {
  let s = text;
  for (const re of CONTRACTIONS_2) s = s.replace(re, '$1 $2');
  for (const re of CONTRACTIONS_3) s = s.replace(re, '$1 $2 $3');
  s = s.replace(/([^\w.'\-/+<>,&])/g, ' $1 '); // most punctuation
  s = s.replace(/(,\s)/g, ' $1'); // commas followed by a space
  s = s.replace(/('\s)/g, ' $1'); // single quotes followed by a space
  s = s.replace(/\. *(\n|$)/g, ' . '); // full stops before a newline or the end
  return s.split(/\s+/).filter((t) => t !== '');
}

/** natural's `TreebankWordTokenizer` (Penn Treebank conventions: "can't" → "ca", "n't"), Unicode-fixed. */
export function treebankTokenizer(): WrappedTokenizer {
  return new WrappedTokenizer('natural:treebank', { tokenize: treebankWords });
}
