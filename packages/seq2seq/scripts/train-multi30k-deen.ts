// Trains the German -> English Multi30k model (benchmark only: the data is for non-commercial research,
// so the model goes under bench/, never into the npm package).
//   nice -n 10 npx tsx scripts/train-multi30k-deen.ts [--epochs N] [--out DIR] [--checkpoint DIR] [--log FILE]
// Train on raw/train, select on raw/val, report on test_2017_flickr (test_2016_flickr is withheld here)
// both the anchor's way (lowercased, tokenized, torchtext-style BLEU) and sacreBLEU's way.
import { resolve } from 'node:path';
import { makeLogger, parseArgs, run } from './common';
import { multi30kSplit } from './multi30k';

const args = parseArgs(process.argv.slice(2));
const here = resolve(import.meta.dirname ?? '.', '..');
const raw = resolve(here, '../../../shared/data/multi30k/raw');
const seed = Number(args['seed'] ?? 7);
const log = makeLogger(args['log'] ?? resolve(here, 'runs/deen/train.log'));

const split = (name: string) => multi30kSplit(raw, name);

let train = split('train');
if (args['subset']) train = train.slice(0, Number(args['subset']));

await run({
  name: 'multi30k-deen', train, val: split('val'), test: split('test_2017_flickr'), seed, log,
  config: { cell: 'gru', attention: (args['attention'] ?? 'general') as 'general', inputFeeding: false, embeddingDim: 256, hiddenUnits: 512, encoderLayers: 1, dropout: 0.3 },
  merges: Number(args['merges'] ?? 8000), epochs: Number(args['epochs'] ?? 15), batchSize: Number(args['batch'] ?? 64), maxTokens: 2000,
  learningRate: Number(args['lr'] ?? 1e-3), labelSmoothing: Number(args['labelSmoothing'] ?? 0.1), bleuSample: 1014,
  out: args['out'] ?? resolve(here, 'bench/models/multi30k-deen'), checkpoint: args['checkpoint'] ?? resolve(here, 'runs/deen/checkpoint'),
  meta: {
    data: 'Multi30k task 1 raw (multi30k/dataset a3d2e0d), ../shared/data/multi30k/raw; non-commercial research and education only',
    split: 'official train / val; reported on test_2017_flickr',
    command: `npx tsx scripts/train-multi30k-deen.ts ${process.argv.slice(2).join(' ')}`.trim(),
  },
});
