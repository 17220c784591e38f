// Trains the shipped English -> French model on the manythings.org / Tatoeba pairs (CC BY 2.0).
//   nice -n 10 npx tsx scripts/train-tatoeba-enfr.ts [--subset N] [--epochs N] [--out DIR] [--checkpoint DIR] [--log FILE]
// Split by English sentence (seeded): no source sentence is in two splits. Resumes from --checkpoint.
import { resolve } from 'node:path';
import { makeLogger, parseArgs, run } from './common';
import { tatoebaSplit } from './tatoebaSplit';

const args = parseArgs(process.argv.slice(2));
const here = resolve(import.meta.dirname ?? '.', '..');
const seed = Number(args['seed'] ?? 13);
const log = makeLogger(args['log'] ?? resolve(here, 'runs/enfr/train.log'));

const { train, val, test, sources } = tatoebaSplit(seed, args['subset'] ? Number(args['subset']) : undefined);
// each alternative French translation of a test source is its own test line (one reference per line)

await run({
  name: 'tatoeba-enfr', train, val, test, seed, log,
  config: { cell: 'gru', attention: 'general', inputFeeding: false, embeddingDim: Number(args['emb'] ?? 128), hiddenUnits: Number(args['hidden'] ?? 256), encoderLayers: 1, dropout: 0.1 },
  merges: Number(args['merges'] ?? 2000), epochs: Number(args['epochs'] ?? 8), batchSize: Number(args['batch'] ?? 64), maxTokens: 1600,
  learningRate: Number(args['lr'] ?? 2e-3), labelSmoothing: Number(args['labelSmoothing'] ?? 0), bleuSample: Number(args['bleuSample'] ?? 500),
  out: args['out'] ?? resolve(here, 'model'), checkpoint: args['checkpoint'] ?? resolve(here, 'runs/enfr/checkpoint'),
  meta: {
    data: 'manythings.org/anki fra-eng 2019-04-07 (Tatoeba), ../shared/data/tatoeba-anki/fra-eng/fra.txt',
    license: 'CC BY 2.0. Attribution: www.manythings.org/anki and tatoeba.org',
    split: `by English sentence, seed ${seed}: test ${sources.test}, val ${sources.val}, train ${sources.train} sources`,
    command: `npx tsx scripts/train-tatoeba-enfr.ts ${process.argv.slice(2).join(' ')}`.trim(),
  },
});
