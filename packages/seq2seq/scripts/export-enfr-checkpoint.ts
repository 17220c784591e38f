// Exports the latest en->fr training checkpoint as a model folder (same BPE / vocabularies as training,
// rebuilt deterministically), e.g. to ship a model while training continues:
//   npx tsx scripts/export-enfr-checkpoint.ts [--checkpoint runs/enfr/checkpoint] [--out model] [--seed 13] [--merges 2000]
import { resolve } from 'node:path';
import { initBackend } from '@rnnkit/core';
import { Seq2Seq, Translator, loadCheckpointWeights } from '../src/index';
import { buildTextModels, parseArgs } from './common';
import { tatoebaSplit } from './tatoebaSplit';

const args = parseArgs(process.argv.slice(2));
const here = resolve(import.meta.dirname ?? '.', '..');
await initBackend();
const seed = Number(args['seed'] ?? 13);
const merges = Number(args['merges'] ?? 2000);
const { train, sources } = tatoebaSplit(seed);
const text = buildTextModels(train, merges);
const model = new Seq2Seq({
  cell: 'gru', attention: 'general', inputFeeding: false, embeddingDim: Number(args['emb'] ?? 128), hiddenUnits: Number(args['hidden'] ?? 256), encoderLayers: 1,
  dropout: 0.1, seed, srcVocabSize: text.srcVocab.size, tgtVocabSize: text.tgtVocab.size,
});
const ck = args['checkpoint'] ?? resolve(here, 'runs/enfr/checkpoint');
const at = await loadCheckpointWeights(ck, model);
if (!at) throw new Error(`no checkpoint in ${ck}`);
const meta = {
  data: 'manythings.org/anki fra-eng 2019-04-07 (Tatoeba), ../shared/data/tatoeba-anki/fra-eng/fra.txt',
  license: 'CC BY 2.0. Attribution: www.manythings.org/anki and tatoeba.org',
  split: `by English sentence, seed ${seed}: test ${sources.test}, val ${sources.val}, train ${sources.train} sources`,
  command: 'npx tsx scripts/train-tatoeba-enfr.ts --epochs 8', seed, bpeMerges: merges,
  exportedFrom: `checkpoint at step ${at.step} (epoch ${at.epoch + 1}, in progress)`,
};
const out = args['out'] ?? resolve(here, 'model');
await new Translator(model, { ...text, meta }).save(out);
console.log(`exported step ${at.step} to ${out}`);
