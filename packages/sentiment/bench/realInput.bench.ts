// The issue-15/16 examples through the shipped sentiment model with the input contract's flags, and a
// 1 MB text: time and memory. Predictions of non-empty text are what the network gave before the
// contract (it reads the same tokens); the flags are new. Not part of `test`.
//   npx tsx bench/realInput.bench.ts [--model DIR]
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@rnnkit/core';
import { SentimentClassifier } from '../src/index';

const EXAMPLES = ['not good', 'not bad', 'This film 👎', 'A moving, beautifully acted film.', '我爱你', 'أنا أحب هذا الفيلم', 'Мне очень понравился этот фильм.', '', '   '];

async function main(): Promise<void> {
  await initBackend();
  const i = process.argv.indexOf('--model');
  const clf = await SentimentClassifier.load(i > 0 ? resolve(process.argv[i + 1] as string) : resolve(import.meta.dirname ?? '.', '../model'));
  console.log(`backend ${tf.getBackend()}`);
  for (const text of EXAMPLES) {
    const p = clf.predict(text);
    console.log(`${JSON.stringify(text).padEnd(38)} ${(p.label || '(empty)').padEnd(9)} ${p.confidence.toFixed(3)}  coverage ${p.coverage.toFixed(2)} lowCoverage ${p.lowCoverage} empty ${p.empty} truncated ${p.truncated}`);
  }
  const big = 'The acting is wonderful but the plot is a mess. '.repeat(Math.ceil(1_000_000 / 49));
  const t0 = performance.now();
  const p = clf.predict(big);
  console.log(`\n1 MB text (${big.length} chars): ${(performance.now() - t0).toFixed(0)} ms, ${p.label} ${p.confidence.toFixed(3)}, truncated ${p.truncated}; `
    + `peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, tensors ${tf.memory().numTensors}`);
  const t1 = performance.now();
  const q = clf.predict('x'.repeat(1_000_000));
  console.log(`1 MB without spaces: ${(performance.now() - t1).toFixed(0)} ms, truncated ${q.truncated}, lowCoverage ${q.lowCoverage}, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  const t2 = performance.now();
  const e = clf.explain(big);
  console.log(`explain of the 1 MB text: ${(performance.now() - t2).toFixed(0)} ms, ${e.tokens.length} tokens, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  clf.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
