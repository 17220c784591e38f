// rnnkit-sentiment train: train a classifier on labelled files and save it. Every path is checked
// before the first step; a resumable checkpoint is written every --checkpoint-every steps, after each
// epoch and on Ctrl-C / SIGTERM, and `--resume` continues from it.
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  catchInterrupts, checkInputFile, checkOutputFolder, choice, CliError, EXIT, num, onlyOptions, required, signalExitCode, str,
  trainingProgress, UsageError, write, formatDuration,
} from '@rnnkit/core/cli';
import { COMMON, DATA, type ParsedArgs } from './args';
import { setupBackend } from './env';
import { dataOptions, formatEvaluation } from './evaluate';
import { disposeCheckpoint, loadCheckpoint, saveCheckpoint, STATE_FILE } from './checkpoint';

const NAME = 'rnnkit-sentiment';
const NET = ['cell', 'units', 'layers', 'unidirectional', 'pooling', 'embedding-dim', 'dropout', 'min-freq', 'seed'] as const;
const TRAIN = ['epochs', 'batch-size', 'lr', 'lr-schedule', 'clip-norm', 'patience', 'class-weights', 'quantization'] as const;

export async function runTrain(args: ParsedArgs): Promise<number> {
  const { values } = args;
  onlyOptions(values, 'train', [...COMMON, ...DATA, ...NET, ...TRAIN, 'train', 'dev', 'out', 'checkpoint', 'checkpoint-every', 'resume']);
  const trainFile = required(values, 'train', 'train');
  const out = required(values, 'out', 'train');
  const devFile = str(values, 'dev');
  const ckptDir = str(values, 'checkpoint') ?? `${out.replace(/[\\/]+$/, '')}.checkpoint`;
  const resume = values.resume === true;
  const every = num(values, 'checkpoint-every', 500, { int: true, min: 1 });
  const classWeights = values['class-weights'];
  if (classWeights !== undefined && classWeights !== 'balanced') throw new UsageError(`Expected --class-weights balanced. Received: ${JSON.stringify(classWeights)}`);
  const opts = dataOptions(values);
  const net = {
    cell: choice(values, 'cell', ['lstm', 'gru'] as const, 'lstm'),
    units: num(values, 'units', 128, { int: true, min: 1, max: 8192 }),
    numLayers: num(values, 'layers', 1, { int: true, min: 1, max: 8 }),
    bidirectional: values.unidirectional !== true,
    pooling: choice(values, 'pooling', ['max', 'mean', 'last'] as const, 'max'),
    embeddingDim: num(values, 'embedding-dim', 100, { int: true, min: 1, max: 8192 }),
    dropout: num(values, 'dropout', 0.5, { min: 0, max: 0.95 }),
    minFreq: num(values, 'min-freq', 1, { int: true, min: 1 }),
    seed: num(values, 'seed', 1, { int: true, min: 0, max: 2 ** 31 - 1 }),
  };
  const trainOpts = {
    epochs: num(values, 'epochs', 10, { int: true, min: 1, max: 100_000 }),
    batchSize: num(values, 'batch-size', 32, { int: true, min: 1, max: 65536 }),
    lr: num(values, 'lr', 0.002, { min: 0, max: 10 }),
    lrSchedule: choice(values, 'lr-schedule', ['constant', 'linear', 'cosine'] as const, 'linear'),
    clipNorm: num(values, 'clip-norm', 5, { min: 0 }),
    patience: num(values, 'patience', 3, { int: true, min: 1 }),
    seed: net.seed,
    classWeights: classWeights === 'balanced' ? ('balanced' as const) : undefined,
  };
  const quantization = choice(values, 'quantization', ['none', 'float16', 'uint8', 'mixed'] as const, 'none');

  // Every path before any work: inputs readable, outputs creatable, the checkpoint state as asked.
  await checkInputFile(trainFile);
  if (devFile !== undefined) await checkInputFile(devFile);
  await checkOutputFolder(out, { option: 'out', kind: 'a sentiment model folder', isOurs: (_d, entries) => entries.includes('sentiment.json') });
  await checkOutputFolder(ckptDir, { option: 'checkpoint', kind: 'a training checkpoint folder', isOurs: (_d, entries) => entries.includes(STATE_FILE) });
  const found = await stat(join(ckptDir, STATE_FILE)).then(() => true, () => false);
  if (resume && !found) throw new CliError(EXIT.INPUT, `Expected a checkpoint to resume from. Received: ${ckptDir} holds none (train without --resume first)`);
  if (!resume && found) throw new UsageError(`A checkpoint of an earlier run is in ${ckptDir}: add --resume to continue it, or remove it to start over`);

  const { loadExamples } = await import('../data');
  const train = await loadExamples(trainFile, opts);
  const dev = devFile ? await loadExamples(devFile, opts) : [];
  if (train.length === 0) throw new CliError(EXIT.INPUT, `Expected labelled examples in ${trainFile}. Received: none`);
  const settings = { ...net, ...trainOpts, classWeights: trainOpts.classWeights ?? null, examples: train.length, devExamples: dev.length };
  const backend = await setupBackend(values);
  const resumeFrom = resume ? await loadCheckpoint(ckptDir, settings) : undefined;
  const { SentimentClassifier } = await import('../classifier');
  const clf = new SentimentClassifier(net);
  const progress = trainingProgress();
  const interrupt = catchInterrupts(NAME);
  process.stderr.write(`${resumeFrom ? `resuming at epoch ${resumeFrom.epoch + 1}, step ${resumeFrom.step}, ` : ''}training on ${train.length} examples${dev.length ? `, dev ${dev.length}` : ''} (backend ${backend})\n`);
  try {
    const result = await clf.train(train, {
      ...trainOpts, dev, resumeFrom, checkpointEvery: every,
      onCheckpoint: (c) => saveCheckpoint(ckptDir, c, settings),
      shouldStop: () => interrupt.signal !== null,
      onProgress: (p) => {
        if (p.type === 'batch') {
          progress.step(p.epoch * p.stepsPerEpoch + p.step, p.epochs * p.stepsPerEpoch, `epoch ${p.epoch + 1}/${p.epochs}`, `loss ${p.loss.toFixed(4)}`);
          return;
        }
        const devText = p.devAccuracy === null ? '' : `  dev accuracy ${(p.devAccuracy * 100).toFixed(2)}%  dev macro-F1 ${((p.devMacroF1 ?? 0) * 100).toFixed(2)}%${p.best ? '  (best)' : ''}`;
        progress.log(`epoch ${p.epoch + 1}/${p.epochs}  loss ${p.loss.toFixed(4)}${devText}  ${formatDuration(p.elapsedMs)}`);
      },
    });
    progress.stop();
    if (result.interrupted) {
      process.stderr.write(`${NAME}: stopped; checkpoint saved to ${ckptDir} (nothing written to ${out} yet). Continue with the same command and --resume\n`);
      return signalExitCode(interrupt.signal ?? 'SIGINT');
    }
    await clf.save(out, { quantization, info: { trainFile, devFile, examples: train.length, bestEpoch: result.bestEpoch + 1, devAccuracy: result.bestDevAccuracy, seed: net.seed } });
    await rm(ckptDir, { recursive: true, force: true });
    process.stderr.write(`${NAME}: saved the model to ${out} (${result.bestEpoch >= 0 ? `best epoch ${result.bestEpoch + 1}, ` : ''}${result.stoppedEarly ? 'stopped early, ' : ''}${(result.elapsedMs / 1000).toFixed(1)} s); checkpoint removed\n`);
    if (dev.length > 0) await write(formatEvaluation(clf.evaluate(dev)));
    return EXIT.OK;
  } finally {
    progress.stop();
    interrupt.dispose();
    if (resumeFrom) disposeCheckpoint(resumeFrom);
    clf.dispose();
  }
}
