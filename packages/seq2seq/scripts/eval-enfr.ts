// Evaluates a model folder on the Tatoeba en->fr test split of train-tatoeba-enfr.ts (same seed):
//   npx tsx scripts/eval-enfr.ts [--model DIR] [--seed 13] [--limit N] [--beam 5]
// Prints sacreBLEU (default settings) and the lowercased tokenized BLEU, greedy and beam, and speed.
import { resolve } from 'node:path';
import { initBackend, tryEnableRelaxedSimd } from '@rnnkit/core';
import { Translator, corpusBleu, tokenizedBleu, toUnits } from '../src/index';
import { parseArgs } from './common';
import { tatoebaSplit } from './tatoebaSplit';

const args = parseArgs(process.argv.slice(2));
tryEnableRelaxedSimd();
const backend = await initBackend();
const split = tatoebaSplit(Number(args['seed'] ?? 13));
const test = split.test.slice(0, args['limit'] ? Number(args['limit']) : undefined);
const translator = await Translator.load(args['model'] ?? resolve(import.meta.dirname ?? '.', '../model'));
const refs = [test.map((p) => p.tgt)];
const result: Record<string, number | string> = { backend, lines: test.length, sources: split.sources.test };
for (const beam of [1, Number(args['beam'] ?? 5)]) {
  const t0 = Date.now();
  const hyps = translator.translate(test.map((p) => p.src), { beam, batchSize: 64 }).map((t) => t.text);
  const secs = (Date.now() - t0) / 1000;
  result[`beam${beam}SacreBleu`] = Number(corpusBleu(hyps, refs).score.toFixed(2));
  result[`beam${beam}LowercaseTokenizedBleu`] = Number(tokenizedBleu(hyps.map((h) => toUnits(h.toLowerCase(), null)), test.map((p) => [toUnits(p.tgt.toLowerCase(), null)])).toFixed(2));
  result[`beam${beam}SentencesPerSecond`] = Number((test.length / secs).toFixed(1));
}
console.log(JSON.stringify(result));
