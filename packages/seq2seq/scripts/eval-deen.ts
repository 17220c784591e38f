// Evaluates a German -> English Multi30k model folder on val, test_2017_flickr and test_2017_mscoco:
// BLEU greedy and beam 5, the anchor's way (lowercased, tokenized, torchtext-style) and sacreBLEU's way.
//   npx tsx scripts/eval-deen.ts [--model bench/models/multi30k-deen] [--splits val,test_2017_flickr,test_2017_mscoco]
import { resolve } from 'node:path';
import { initBackend, tryEnableRelaxedSimd } from '@rnnkit/core';
import { Translator } from '../src/index';
import { evaluatePairs, parseArgs } from './common';
import { multi30kSplit } from './multi30k';

const args = parseArgs(process.argv.slice(2));
const here = resolve(import.meta.dirname ?? '.', '..');
const raw = resolve(here, '../../../shared/data/multi30k/raw');
tryEnableRelaxedSimd();
const backend = await initBackend();
const translator = await Translator.load(args['model'] ?? resolve(here, 'bench/models/multi30k-deen'));
const result: Record<string, unknown> = { backend };
for (const name of (args['splits'] ?? 'val,test_2017_flickr,test_2017_mscoco').split(',')) {
  const pairs = multi30kSplit(raw, name);
  const r = evaluatePairs(translator, pairs);
  result[name] = { lines: pairs.length, ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(2))])) };
  console.log(name, JSON.stringify(result[name]));
}
console.log(JSON.stringify(result));
translator.dispose();
