// Trains the shipped English -> French model on the manythings.org / Tatoeba pairs (CC BY 2.0).
//   nice -n 10 npx tsx scripts/train-tatoeba-enfr.ts [--subset N] [--epochs N] [--out DIR] [--checkpoint DIR] [--log FILE]
// Split by English sentence (seeded): no source sentence is in two splits. Resumes from --checkpoint.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { shuffle } from '@rnnkit/text';
import { normalizeText } from '../src/index';
import { makeLogger, parseArgs, run, type Pair } from './common';

const args = parseArgs(process.argv.slice(2));
const here = resolve(import.meta.dirname ?? '.', '..');
const data = resolve(here, '../../../shared/data/tatoeba-anki/fra-eng/fra.txt');
const seed = Number(args['seed'] ?? 13);
const log = makeLogger(args['log'] ?? resolve(here, 'runs/enfr/train.log'));

const bySource = new Map<string, string[]>();
for (const line of readFileSync(data, 'utf8').split('\n')) {
  const [en, fr] = line.split('\t');
  if (!en || !fr) continue;
  const src = normalizeText(en);
  const list = bySource.get(src) ?? [];
  list.push(normalizeText(fr));
  bySource.set(src, list);
}
let sources = shuffle([...bySource.keys()].sort(), seed);
if (args['subset']) sources = sources.slice(0, Number(args['subset']));
const nTest = Math.min(2000, Math.floor(sources.length * 0.05));
const nVal = Math.min(1000, Math.floor(sources.length * 0.03));
const pairsOf = (srcs: string[]): Pair[] => srcs.flatMap((s) => (bySource.get(s) ?? []).map((t) => ({ src: s, tgt: t })));
const test = pairsOf(sources.slice(0, nTest));
const val = pairsOf(sources.slice(nTest, nTest + nVal));
const train = pairsOf(sources.slice(nTest + nVal));
// for BLEU, one line per test source with all its translations as references would be fairer; we
// report the usual one-reference-per-pair figure (each alternative translation is its own test line)

await run({
  name: 'tatoeba-enfr', train, val, test, seed, log,
  config: { cell: 'gru', attention: 'general', inputFeeding: false, embeddingDim: Number(args['emb'] ?? 128), hiddenUnits: Number(args['hidden'] ?? 256), encoderLayers: 1, dropout: 0.1 },
  merges: Number(args['merges'] ?? 2000), epochs: Number(args['epochs'] ?? 8), batchSize: Number(args['batch'] ?? 64), maxTokens: 1600,
  learningRate: Number(args['lr'] ?? 2e-3), labelSmoothing: Number(args['labelSmoothing'] ?? 0), bleuSample: Number(args['bleuSample'] ?? 500),
  out: args['out'] ?? resolve(here, 'model'), checkpoint: args['checkpoint'] ?? resolve(here, 'runs/enfr/checkpoint'),
  meta: {
    data: 'manythings.org/anki fra-eng 2019-04-07 (Tatoeba), ../shared/data/tatoeba-anki/fra-eng/fra.txt',
    license: 'CC BY 2.0. Attribution: www.manythings.org/anki and tatoeba.org',
    split: `by English sentence, seed ${seed}: test ${nTest}, val ${nVal}, train ${sources.length - nTest - nVal} sources`,
    command: `npx tsx scripts/train-tatoeba-enfr.ts ${process.argv.slice(2).join(' ')}`.trim(),
  },
});
