// Translation speed of a model folder (default: the shipped model): sentences/s with greedy and beam-5
// search on the first 320 test sentences, and the latency of one 10-word sentence. Not part of `test`.
//   npx tsx bench/translate.bench.ts [--model DIR]
import { resolve } from 'node:path';
import { initBackend, tryEnableRelaxedSimd } from '@rnnkit/core';
import { Translator } from '../src/index';
import { parseArgs } from '../scripts/common';
import { tatoebaSplit } from '../scripts/tatoebaSplit';

const args = parseArgs(process.argv.slice(2));
tryEnableRelaxedSimd();
const backend = await initBackend();
const t = await Translator.load(args['model'] ?? resolve(import.meta.dirname ?? '.', '../model'));
const test = tatoebaSplit(13).test.slice(0, 320).map((p) => p.src);
const s10 = 'I think that we should go to the station tomorrow.';
const rows: string[] = [];
for (const beam of [1, 5]) {
  t.translate(test.slice(0, 8), { beam });
  let t0 = performance.now();
  t.translate(test, { beam, batchSize: 64 });
  const sps = test.length / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  for (let i = 0; i < 5; i++) t.translate([s10], { beam });
  rows.push(`| ${beam === 1 ? 'greedy' : 'beam 5'} | ${sps.toFixed(1)} | ${((performance.now() - t0) / 5).toFixed(0)} |`);
}
console.log(`backend ${backend}\n| search | sentences/s (batch 64) | latency, one 10-word sentence (ms) |\n|---|---:|---:|\n${rows.join('\n')}`);
