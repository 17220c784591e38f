// natural's tokenizer modules imported one by one (src/tokenizers/natural.ts): each is CommonJS, its
// module.exports a tokenizer class (or, for regexp_tokenizer.js, an object of classes).
declare module 'natural/lib/natural/tokenizers/*' {
  interface NaturalStringTokenizer {
    tokenize(text: string): string[];
  }
  type NaturalTokenizerClass = new (...args: never[]) => NaturalStringTokenizer;
  const mod: NaturalTokenizerClass & Record<string, NaturalTokenizerClass>;
  export = mod;
}
