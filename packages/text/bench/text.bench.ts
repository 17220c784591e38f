// Run: npx tsx bench/text.bench.ts   (uses /work/shared/data/multi30k when present, else a synthetic corpus)
import { existsSync, readFileSync } from 'node:fs';
import winkTokenizer from 'wink-tokenizer';
import * as nt from 'natural/lib/natural/tokenizers/index.js';
import { Bpe, WhitespaceTokenizer, CharacterTokenizer, UnicodeWordTokenizer, WinkTokenizer, treebankTokenizer } from '../src/index';
import { naturalWordTokenizer, wordPunctTokenizer } from '../src/natural';
import type { Tokenizer } from '../src/index';

function synthetic(n: number): string[] {
  let x = 1;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
  const sylls = ['ka', 'ri', 'to', 'ma', 'ne', 'su', 'lo', 'pa', 'de', 'in', 'er', 'st', 'th', 'an', 'ch', 'ü', 'é'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const words: string[] = [];
    const len = 6 + Math.floor(rnd() * 14);
    for (let j = 0; j < len; j++) {
      // Zipf-like word choice: a vocabulary of ~50k word types
      const r = Math.floor(Math.pow(rnd(), 3) * 50000);
      let w = '';
      let k = r + 1;
      while (k > 0) {
        w += sylls[k % sylls.length];
        k = Math.floor(k / sylls.length);
      }
      words.push(w);
    }
    out.push(words.join(' ') + ' .');
  }
  return out;
}

const data = '/work/shared/data/multi30k/raw/train.en';
const real = existsSync(data) ? readFileSync(data, 'utf8').split('\n').filter((l) => l.length > 0) : null;
const text = (real ?? synthetic(30000)).slice(0, 5000).join(' ');
console.log(`tokenizer text: ${real ? 'multi30k train.en' : 'synthetic'}, ${text.length.toLocaleString()} chars`);

function rate(fn: () => number): number {
  fn(); // warm-up
  let tokens = 0;
  const t0 = performance.now();
  let runs = 0;
  while (performance.now() - t0 < 500 || runs < 2) {
    tokens += fn();
    runs++;
  }
  return tokens / ((performance.now() - t0) / 1000);
}

const wink = winkTokenizer();
const naturalWord = new nt.WordTokenizer();
const treebank = new nt.TreebankWordTokenizer();
const wordPunct = new nt.WordPunctTokenizer();
type Peer = [string, () => number];
const winkPeer: Peer = ['wink-tokenizer', () => wink.tokenize(text).length];
const rows: Array<[string, Tokenizer, Peer]> = [
  ['rnnkit WinkTokenizer', new WinkTokenizer(), winkPeer],
  ['rnnkit naturalWordTokenizer', naturalWordTokenizer(), ['natural WordTokenizer', () => naturalWord.tokenize(text).length]],
  ['rnnkit treebankTokenizer', treebankTokenizer(), ['natural TreebankWordTokenizer', () => treebank.tokenize(text).length]],
  ['rnnkit wordPunctTokenizer', wordPunctTokenizer(), ['natural WordPunctTokenizer', () => wordPunct.tokenize(text).length]],
  ['rnnkit UnicodeWordTokenizer', new UnicodeWordTokenizer(), winkPeer],
  ['rnnkit WhitespaceTokenizer', new WhitespaceTokenizer(), winkPeer],
  ['rnnkit CharacterTokenizer', new CharacterTokenizer(), winkPeer],
];
console.log('\n| tokenizer | tokens/s | peer (called directly, same run) | peer tokens/s | ratio |\n|---|---:|---|---:|---:|');
for (const [name, tok, [peer, peerFn]] of rows) {
  // Alternate ours and the peer, best of 3 each, so machine noise hits both alike.
  let ours = 0;
  let theirs = 0;
  for (let round = 0; round < 3; round++) {
    theirs = Math.max(theirs, rate(peerFn));
    ours = Math.max(ours, rate(() => tok.tokenize(text).length));
  }
  console.log(`| ${name} | ${Math.round(ours).toLocaleString()} | ${peer} | ${Math.round(theirs).toLocaleString()} | ${(ours / theirs).toFixed(2)}x |`);
}

// BPE: learn on 300,000 sentences (multi30k repeated when present: 29k real sentences are too few), then apply.
const corpus = synthetic(300000);
const t0 = performance.now();
const bpe = Bpe.learn(corpus, { numMerges: 10000 });
const learnS = (performance.now() - t0) / 1000;
console.log(`\nBPE learn: 300,000 synthetic sentences, ${bpe.merges.length} merges in ${learnS.toFixed(1)} s`);
if (real) {
  const t1 = performance.now();
  const m30 = Bpe.learn(real, { numMerges: 10000 });
  console.log(`BPE learn: multi30k train.en (${real.length} sentences), ${m30.merges.length} merges in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
}
const sample = corpus.slice(0, 50000);
const fresh = new Bpe(bpe.alphabet, bpe.merges, { cacheSize: 0 });
let words = 0;
const t2 = performance.now();
for (const s of sample) words += fresh.encode(s).length;
const coldS = (performance.now() - t2) / 1000;
const t3 = performance.now();
for (const s of sample) bpe.encode(s);
const warmS = (performance.now() - t3) / 1000;
const nWords = sample.reduce((n, s) => n + s.split(' ').length, 0);
console.log(`BPE apply: ${Math.round(nWords / coldS).toLocaleString()} words/s uncached, ${Math.round(nWords / warmS).toLocaleString()} words/s cached (${words} subwords)`);
