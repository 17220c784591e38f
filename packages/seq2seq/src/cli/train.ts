// `rnnkit-translate train`: BPE + vocabularies from two parallel files, then trainSeq2Seq with
// checkpoints; the best model (by validation loss on the last 5% of lines) is saved to --out.
import { Bpe, Vocab } from '@rnnkit/text';
import { RnnkitError } from '@rnnkit/core';
import { Seq2Seq } from '../model';
import { Translator } from '../translator';
import { trainSeq2Seq, type ParallelIds } from '../train';
import { toUnits } from '../preprocess';
import { intOption } from './args';
import { utf8Lines } from './lines';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';

async function readAll(file: string): Promise<string[]> {
  try {
    await access(file);
  } catch (cause) {
    throw new RnnkitError('IO_ERROR', `Expected a readable file. Received: ${file}`, { cause });
  }
  const out: string[] = [];
  for await (const l of utf8Lines(createReadStream(file), file)) out.push(l);
  return out;
}

export async function trainFromFiles(o: Map<string, string>, log: { write(s: string): unknown }): Promise<void> {
  const srcFile = o.get('src');
  const tgtFile = o.get('tgt');
  const out = o.get('out');
  if (!srcFile || !tgtFile || !out) throw new RnnkitError('INVALID_ARGUMENT', 'Expected --src FILE --tgt FILE --out DIR. Received: missing ones');
  const src = await readAll(srcFile);
  const tgt = await readAll(tgtFile);
  if (src.length !== tgt.length) throw new RnnkitError('INVALID_ARGUMENT', `Expected parallel files of the same length. Received: ${src.length} and ${tgt.length} lines`);
  const merges = intOption(o, 'merges', 2000);
  const srcBpe = Bpe.learn(src.map((s) => toUnits(s, null).join(' ')), { numMerges: merges });
  const tgtBpe = Bpe.learn(tgt.map((s) => toUnits(s, null).join(' ')), { numMerges: merges });
  const srcVocab = Vocab.build(src.map((s) => toUnits(s, srcBpe)));
  const tgtVocab = Vocab.build(tgt.map((s) => toUnits(s, tgtBpe)));
  const hidden = intOption(o, 'hidden', 256);
  const seed = o.has('seed') ? Number(o.get('seed')) : 0;
  const model = new Seq2Seq({
    srcVocabSize: srcVocab.size, tgtVocabSize: tgtVocab.size, hiddenUnits: hidden, embeddingDim: intOption(o, 'embedding', Math.min(128, hidden)),
    attention: (o.get('attention') ?? 'general') as never, cell: (o.get('cell') ?? 'gru') as never, inputFeeding: o.get('input-feeding') === 'true', seed,
  });
  const translator = new Translator(model, { srcVocab, tgtVocab, srcBpe, tgtBpe, meta: { command: `rnnkit-translate train ${[...o].map(([k, v]) => `--${k} ${v}`).join(' ')}` } });
  const ids: ParallelIds[] = src.map((s, i) => ({ src: translator.encodeSource(s).ids, tgt: translator.encodeTarget(tgt[i] as string) }));
  const nVal = Math.max(1, Math.floor(ids.length * 0.05));
  const res = await trainSeq2Seq(model, ids.slice(nVal), {
    epochs: intOption(o, 'epochs', 10), batchSize: intOption(o, 'batch', 64), learningRate: o.has('lr') ? Number(o.get('lr')) : 1e-3, seed,
    bosId: tgtVocab.bosId, eosId: tgtVocab.eosId, padId: tgtVocab.padId, validation: ids.slice(0, nVal),
    checkpointDir: o.get('checkpoint'), checkpointEvery: 200,
    onEpoch: (r) => log.write(`epoch ${r.epoch + 1}: train loss ${r.trainLoss.toFixed(3)}, val loss ${r.valLoss?.toFixed(3)} (${r.seconds.toFixed(1)} s)\n`),
    onBest: async () => translator.save(out),
  });
  log.write(`trained ${res.steps} steps; model saved to ${out}\n`);
}
