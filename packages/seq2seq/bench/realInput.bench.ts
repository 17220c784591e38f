// The issue-15/16 examples through the shipped en->fr model, before and after the input contract:
// "before" reproduces the old `translate` (the whole text as one source, greedy, maxLength 2 x units + 10),
// "after" is `translate` with its defaults (sentences, beam 5). Then a 1 MB text: time and memory.
// Not part of `test`.   npx tsx bench/realInput.bench.ts [--model DIR]
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@rnnkit/core';
import { padSequences } from '@rnnkit/text';
import { detokenize, fromUnits, greedySearch, Translator, type Translation } from '../src/index';

const EXAMPLES = [
  'I would like to book a table for two people tonight.',
  'Hello.',
  'I am hungry.',
  'We went to the market this morning. The vegetables were fresh and cheap! Tomorrow we will cook for our friends.',
  '我爱你',
  'أنا أحب هذا الفيلم',
  'Я люблю этот фильм.',
];

/** The translation the library gave before sentence splitting: one source, greedy, 2 x units + 10. */
function before(t: Translator, text: string): string {
  const { ids } = t.encodeSource(text);
  if (ids.length === 0) return '';
  const padded = padSequences([ids], { value: t.artifacts.srcVocab.padId, padding: 'post' });
  const src = tf.tensor2d(padded.ids.flat(), [1, ids.length], 'int32');
  const mask = tf.tensor2d(padded.mask.flat(), [1, ids.length], 'float32');
  const stepper = t.model.stepper(src, mask);
  tf.dispose([src, mask]);
  try {
    const h = greedySearch(stepper, { bosId: t.artifacts.tgtVocab.bosId, eosId: t.artifacts.tgtVocab.eosId, maxLength: 2 * ids.length + 10 })[0]?.[0];
    return detokenize(fromUnits((h?.tokens ?? []).map((id) => t.artifacts.tgtVocab.token(id)), t.artifacts.tgtBpe));
  } finally {
    stepper.dispose();
  }
}

const flags = (r: Translation) => `coverage ${r.coverage.toFixed(2)} lowCoverage ${r.lowCoverage} truncated ${r.truncated}`;

async function main(): Promise<void> {
  await initBackend();
  const i = process.argv.indexOf('--model');
  const t = await Translator.load(i > 0 ? resolve(process.argv[i + 1] as string) : resolve(import.meta.dirname ?? '.', '../model'));
  console.log(`backend ${tf.getBackend()}`);
  for (const text of EXAMPLES) {
    const [r] = t.translate([text]) as [Translation];
    console.log(`\n${JSON.stringify(text)}\n  before: ${JSON.stringify(before(t, text))}\n  after:  ${JSON.stringify(r.text)}\n          ${flags(r)}`);
  }
  const words = 'the old man walked slowly along the river and watched the boats go by while the sun set behind the hills'.split(' ');
  const sentence = (k: number) => {
    const s = words.slice(k % 7, (k % 7) + 12).join(' ');
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
  };
  let big = '';
  for (let k = 0; big.length < 1_000_000; k++) big += `${sentence(k)} `;
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const [r] = t.translate([big]) as [Translation];
  const ms = performance.now() - t0;
  console.log(`\n1 MB text (${big.length} chars): ${(ms / 1000).toFixed(1)} s, truncated ${r.truncated}, ${r.srcTokens.length} source units, ${r.text.length} chars out; `
    + `rss ${(rss0 / 2 ** 20).toFixed(0)} -> ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, tensors ${tf.memory().numTensors}`);
  const line = 'x'.repeat(1_000_000);
  const t1 = performance.now();
  const [q] = t.translate([line]) as [Translation];
  console.log(`1 MB without spaces: ${((performance.now() - t1) / 1000).toFixed(1)} s, truncated ${q.truncated}, lowCoverage ${q.lowCoverage}, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  t.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
