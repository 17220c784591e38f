// `rnnkit-translate train`: BPE + vocabularies from two parallel files, then trainSeq2Seq. Every path
// is checked before the first step; the best model (validation loss on the first 5% of lines) is saved
// to --out after each epoch; a resumable checkpoint is written every --checkpoint-every steps, after each
// epoch and on Ctrl-C / SIGTERM, and `--resume` continues from it.
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  catchInterrupts, checkInputFile, checkOutputFolder, choice, CliError, EXIT, inputLines, num, onlyOptions, required,
  setupCliBackend, signalExitCode, str, trainingProgress, UsageError, type OptionValues,
} from '@rnnkit/core/cli';
import { COMMON } from './args';

const MODEL_OPTIONS = ['src', 'tgt', 'merges', 'hidden', 'embedding', 'attention', 'cell', 'input-feeding', 'seed'] as const;
const TRAIN_OPTIONS = ['epochs', 'lr', 'batch-size'] as const;

async function readAll(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const l of await inputLines(file)) out.push(l);
  return out;
}

async function hasCheckpoint(dir: string): Promise<boolean> {
  return stat(join(dir, 'state.json')).then(() => true, () => false);
}

export async function trainCmd(values: OptionValues, name: string): Promise<number> {
  onlyOptions(values, 'train', [...COMMON, ...MODEL_OPTIONS, ...TRAIN_OPTIONS, 'out', 'checkpoint', 'checkpoint-every', 'resume']);
  const srcFile = required(values, 'src', 'train');
  const tgtFile = required(values, 'tgt', 'train');
  const out = required(values, 'out', 'train');
  const ckptDir = str(values, 'checkpoint') ?? `${out.replace(/[\\/]+$/, '')}.checkpoint`;
  const resume = values.resume === true;
  const settings = {
    merges: num(values, 'merges', 2000, { int: true, min: 0, max: 1_000_000 }),
    hidden: num(values, 'hidden', 256, { int: true, min: 1, max: 8192 }),
    embedding: 0, // below: min(128, hidden) unless given
    attention: choice(values, 'attention', ['bahdanau', 'dot', 'general', 'concat'] as const, 'general'),
    cell: choice(values, 'cell', ['gru', 'lstm'] as const, 'gru'),
    inputFeeding: values['input-feeding'] === true,
    seed: num(values, 'seed', 0, { int: true, min: 0, max: 2 ** 31 - 1 }),
    epochs: num(values, 'epochs', 10, { int: true, min: 1, max: 100_000 }),
    lr: num(values, 'lr', 1e-3, { min: 0, max: 10 }),
    batchSize: num(values, 'batch-size', 64, { int: true, min: 1, max: 65536 }),
  };
  settings.embedding = num(values, 'embedding', Math.min(128, settings.hidden), { int: true, min: 1, max: 8192 });
  const every = num(values, 'checkpoint-every', 200, { int: true, min: 1 });

  // Every path before any work: inputs readable, outputs creatable, the checkpoint state as asked.
  await checkInputFile(srcFile);
  await checkInputFile(tgtFile);
  await checkOutputFolder(out, { option: 'out', kind: 'a translation model folder', isOurs: (_d, entries) => entries.includes('model.json') });
  await checkOutputFolder(ckptDir, { option: 'checkpoint', kind: 'a training checkpoint folder', isOurs: (_d, entries) => entries.includes('state.json') });
  const found = await hasCheckpoint(ckptDir);
  if (resume && !found) throw new CliError(EXIT.INPUT, `Expected a checkpoint to resume from. Received: ${ckptDir} holds none (train without --resume first)`);
  if (!resume && found) throw new UsageError(`A checkpoint of an earlier run is in ${ckptDir}: add --resume to continue it, or remove it to start over`);

  const src = await readAll(srcFile);
  const tgt = await readAll(tgtFile);
  if (src.length !== tgt.length) throw new CliError(EXIT.INPUT, `Expected parallel files of the same length. Received: ${src.length} and ${tgt.length} lines`);
  if (src.length < 2) throw new CliError(EXIT.INPUT, `Expected at least 2 sentence pairs. Received: ${src.length}`);
  const backend = await setupCliBackend(str(values, 'backend'));
  const { Bpe, Vocab } = await import('@rnnkit/text');
  const { Seq2Seq } = await import('../model');
  const { Translator } = await import('../translator');
  const { trainSeq2Seq } = await import('../train');
  const { toUnits } = await import('../preprocess');
  const srcBpe = Bpe.learn(src.map((s) => toUnits(s, null).join(' ')), { numMerges: settings.merges });
  const tgtBpe = Bpe.learn(tgt.map((s) => toUnits(s, null).join(' ')), { numMerges: settings.merges });
  const srcVocab = Vocab.build(src.map((s) => toUnits(s, srcBpe)));
  const tgtVocab = Vocab.build(tgt.map((s) => toUnits(s, tgtBpe)));
  const model = new Seq2Seq({
    srcVocabSize: srcVocab.size, tgtVocabSize: tgtVocab.size, hiddenUnits: settings.hidden, embeddingDim: settings.embedding,
    attention: settings.attention, cell: settings.cell, inputFeeding: settings.inputFeeding, seed: settings.seed,
  });
  const translator = new Translator(model, { srcVocab, tgtVocab, srcBpe, tgtBpe, meta: { command: `rnnkit-translate train ${JSON.stringify(settings)}` } });
  const ids = src.map((s, i) => ({ src: translator.encodeSource(s).ids, tgt: translator.encodeTarget(tgt[i] as string) }));
  const nVal = Math.max(1, Math.floor(ids.length * 0.05));

  const progress = trainingProgress();
  const interrupt = catchInterrupts(name);
  let saved = false;
  process.stderr.write(`${resume ? 'resuming' : 'training'} on ${ids.length - nVal} sentence pairs, validation ${nVal} (backend ${backend})\n`);
  try {
    const res = await trainSeq2Seq(model, ids.slice(nVal), {
      epochs: settings.epochs, batchSize: settings.batchSize, learningRate: settings.lr, seed: settings.seed,
      bosId: tgtVocab.bosId, eosId: tgtVocab.eosId, padId: tgtVocab.padId, validation: ids.slice(0, nVal),
      checkpointDir: ckptDir, checkpointEvery: every, resume, checkpointMeta: { ...settings, pairs: ids.length },
      shouldStop: () => interrupt.signal !== null,
      onProgress: (p) => progress.step(p.step, p.totalSteps, `epoch ${p.epoch + 1}/${settings.epochs}`, `loss ${p.loss.toFixed(3)}  ${Math.round(p.tokensPerSecond)} tok/s`),
      onEpoch: (r) => progress.log(`epoch ${r.epoch + 1}/${settings.epochs}: train loss ${r.trainLoss.toFixed(3)}, val loss ${r.valLoss?.toFixed(3)} (${r.seconds.toFixed(1)} s)`),
      onBest: async () => {
        await translator.save(out);
        saved = true;
      },
    });
    progress.stop();
    if (res.interrupted) {
      process.stderr.write(`${name}: stopped at step ${res.steps}; checkpoint saved to ${ckptDir}${saved ? `, best model so far in ${out}` : ''}. Continue with the same command and --resume\n`);
      return signalExitCode(interrupt.signal ?? 'SIGINT');
    }
    await rm(ckptDir, { recursive: true, force: true });
    process.stderr.write(`${name}: trained ${res.steps} steps${res.stoppedEarly ? ' (stopped early)' : ''}; best model saved to ${out}; checkpoint removed\n`);
    return EXIT.OK;
  } finally {
    progress.stop();
    interrupt.dispose();
    model.dispose?.();
  }
}
