// Accuracy on SST-2 dev and throughput of the shipped model against the JavaScript lexicon analyzers
// (natural's SentimentAnalyzer, sentiment (AFINN), vader-sentiment, wink-sentiment), all in one run.
//
//   npx tsx bench/compare.bench.ts [--dev PATH] [--model DIR] [--markdown]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '@rnnkit/core';
import { loadExamples, SentimentClassifier } from '../src/index';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    dev: { type: 'string', default: resolve(here, '../../../../shared/data/sst2/stsa.binary.dev') },
    model: { type: 'string', default: resolve(here, '../model') },
    markdown: { type: 'boolean', default: false },
  },
});

type Scorer = (text: string) => number; // > 0 positive, < 0 negative, 0 undecided (counted as positive)

function lexicons(): Array<{ name: string; score: Scorer }> {
  const Sentiment = require('sentiment');
  const afinn = new Sentiment();
  const vader = require('vader-sentiment');
  const wink = require('wink-sentiment');
  const natural = require('natural');
  const analyzer = new natural.SentimentAnalyzer('English', natural.PorterStemmer, 'afinn');
  const tokenizer = new natural.WordTokenizer();
  return [
    { name: "natural SentimentAnalyzer (AFINN, Porter stemmer)", score: (t) => analyzer.getSentiment(tokenizer.tokenize(t)) },
    { name: 'sentiment (AFINN-165)', score: (t) => afinn.analyze(t).score },
    { name: 'vader-sentiment (compound)', score: (t) => vader.SentimentIntensityAnalyzer.polarity_scores(t).compound },
    { name: 'wink-sentiment', score: (t) => wink(t).normalizedScore },
  ];
}

function timeIt(fn: () => void, minMs = 1500): number {
  fn(); // warm-up
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs || runs < 2) {
    fn();
    runs++;
  }
  return (performance.now() - start) / runs;
}

/** Median wall time of `node dist/cli.js predict "..."` (the built CLI, default model), 5 runs. */
function coldStart(): string {
  const cli = resolve(here, '../dist/cli.js');
  if (!existsSync(cli)) return 'cold start: dist/cli.js not built (pnpm build), skipped';
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [cli, 'predict', '--model', values.model as string, 'not bad at all'], { encoding: 'utf8' });
    times.push(performance.now() - t);
    if (r.status !== 0) return `cold start: the CLI failed: ${r.stderr.trim().split('\n')[0]}`;
  }
  times.sort((x, y) => x - y);
  return `cold start of \`rnnkit-sentiment predict "not bad at all"\`: median ${Math.round(times[2] as number)} ms (min ${Math.round(times[0] as number)}, max ${Math.round(times[4] as number)}) over 5 runs`;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const dev = await loadExamples(values.dev as string, { format: 'sst', labelNames: { '0': 'negative', '1': 'positive' } });
  const texts = dev.map((e) => e.text);
  const gold = dev.map((e) => e.label);
  const rows: Array<{ name: string; accuracy: number; batch: number; single: number }> = [];

  const clf = await SentimentClassifier.load(values.model as string);
  const predicted = clf.predictBatch(texts).map((p) => p.label);
  const batchMs = timeIt(() => clf.predictBatch(texts));
  const sample = texts.slice(0, 200);
  const singleMs = timeIt(() => {
    for (const t of sample) clf.predict(t);
  });
  rows.push({
    name: `rnnkit-sentiment (BiLSTM, ${backend})`,
    accuracy: predicted.filter((p, i) => p === gold[i]).length / dev.length,
    batch: texts.length / (batchMs / 1000),
    single: sample.length / (singleMs / 1000),
  });
  clf.dispose();

  for (const { name, score } of lexicons()) {
    const labels = texts.map((t) => (score(t) >= 0 ? 'positive' : 'negative'));
    const ms = timeIt(() => {
      for (const t of texts) score(t);
    });
    const perSec = texts.length / (ms / 1000);
    rows.push({ name, accuracy: labels.filter((p, i) => p === gold[i]).length / dev.length, batch: perSec, single: perSec });
  }

  const ours = rows[0] as (typeof rows)[number];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    `SST-2 dev (${dev.length} sentences), Node ${process.version}, backend ${backend}, one run`,
    '',
    '| analyzer | SST-2 dev accuracy | sentences/s (batch) | sentences/s (one at a time) | rnnkit accuracy gain | rnnkit speed (one at a time) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r, i) => `| ${r.name} | ${(r.accuracy * 100).toFixed(2)}% | ${fmt(r.batch)} | ${fmt(r.single)} | ${i === 0 ? '—' : `+${((ours.accuracy - r.accuracy) * 100).toFixed(1)} pts`} | ${i === 0 ? '—' : `${(ours.single / r.single).toFixed(3)}x`} |`),
  ];
  console.log(lines.join('\n'));
  console.log(`\n${coldStart()}`);
  console.log(`\nheadline: rnnkit ${(ours.accuracy * 100).toFixed(2)}% vs best lexicon ${(Math.max(...rows.slice(1).map((r) => r.accuracy)) * 100).toFixed(2)}% on SST-2 dev`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
