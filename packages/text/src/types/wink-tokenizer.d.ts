declare module 'wink-tokenizer' {
  interface WinkToken {
    value: string;
    tag: string;
  }
  interface WinkTokenizerInstance {
    tokenize(sentence: string): WinkToken[];
    defineConfig(config: Record<string, boolean>): number;
  }
  function winkTokenizer(): WinkTokenizerInstance;
  export = winkTokenizer;
}
