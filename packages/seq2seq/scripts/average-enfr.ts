// Checkpoint averaging (Vaswani et al. 2017, sec. 6.1; Junczys-Dowmunt et al.'s Marian "exponential
// smoothing" is the running form of it): the element-wise mean of the weights of several model folders of
// the SAME architecture and vocabularies, saved as a new model folder. Which folders to average is chosen
// on the validation split (scripts/eval-enfr.ts --split val), never on test.
//   npx tsx scripts/average-enfr.ts --models DIR,DIR,... --out DIR
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { initBackend } from '@rnnkit/core';
import { Translator } from '../src/index';
import { parseArgs } from './common';

const args = parseArgs(process.argv.slice(2));
const dirs = (args['models'] ?? '').split(',').filter(Boolean).map((d) => resolve(d));
if (dirs.length < 2 || !args['out']) throw new Error('usage: --models DIR,DIR,... --out DIR');
await initBackend();
const models = await Promise.all(dirs.map((d) => Translator.load(d)));
const [first, ...rest] = models as [Translator, ...Translator[]];
const fp = (t: Translator) => JSON.stringify([t.artifacts.srcVocab.tokens, t.artifacts.tgtVocab.tokens]);
for (const [i, m] of rest.entries()) if (fp(m) !== fp(first)) throw new Error(`${dirs[i + 1]} has other vocabularies than ${dirs[0]}`);
const weights = models.map((m) => m.model.variables as tf.Tensor[]);
const shapes = (w: tf.Tensor[]) => JSON.stringify(w.map((t) => t.shape));
for (const [i, w] of weights.entries()) if (shapes(w) !== shapes(weights[0] as tf.Tensor[])) throw new Error(`${dirs[i]} has another architecture`);
const mean = (weights[0] as tf.Tensor[]).map((_, k) => tf.tidy(() => tf.div(tf.addN(weights.map((w) => w[k] as tf.Tensor)), weights.length)));
first.model.variables.forEach((v, k) => v.assign(mean[k] as tf.Tensor));
tf.dispose(mean);
first.artifacts.meta = { ...first.artifacts.meta, averaged: `element-wise mean of ${dirs.length} checkpoints: ${dirs.map((d) => d.split('/').slice(-2).join('/')).join(', ')}` };
await first.save(resolve(args['out']));
console.log(`averaged ${dirs.length} models into ${args['out']}`);
models.forEach((m) => m.dispose());
