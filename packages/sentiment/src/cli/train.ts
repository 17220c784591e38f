// rnnkit-sentiment train: train a classifier on labelled files and save it.
import { choice, EXIT, num, required, UsageError, type ParsedArgs } from './args';
import { setupBackend } from './env';
import { dataOptions, formatEvaluation } from './evaluate';
import { progressBar } from './progress';

export async function runTrain(args: ParsedArgs): Promise<number> {
  const { values } = args;
  const trainFile = required(values, 'train', 'train');
  const out = required(values, 'out', 'train');
  const devFile = typeof values.dev === 'string' ? values.dev : undefined;
  const classWeights = values['class-weights'];
  if (classWeights !== undefined && classWeights !== 'balanced') throw new UsageError(`Expected --class-weights balanced. Received: ${JSON.stringify(classWeights)}`);
  const opts = dataOptions(values);
  const net = {
    cell: choice(values, 'cell', ['lstm', 'gru'] as const, 'lstm'),
    units: num(values, 'units', 128, { int: true, min: 1 }),
    numLayers: num(values, 'layers', 1, { int: true, min: 1, max: 8 }),
    bidirectional: values.unidirectional !== true,
    pooling: choice(values, 'pooling', ['max', 'mean', 'last'] as const, 'max'),
    embeddingDim: num(values, 'embedding-dim', 100, { int: true, min: 1 }),
    dropout: num(values, 'dropout', 0.5, { min: 0, max: 0.95 }),
    minFreq: num(values, 'min-freq', 1, { int: true, min: 1 }),
    seed: num(values, 'seed', 1, { int: true, min: 0 }),
  };
  const trainOpts = {
    epochs: num(values, 'epochs', 10, { int: true, min: 1 }),
    batchSize: num(values, 'batch-size', 32, { int: true, min: 1 }),
    lr: num(values, 'lr', 0.002, { min: 0 }),
    lrSchedule: choice(values, 'lr-schedule', ['constant', 'linear', 'cosine'] as const, 'linear'),
    clipNorm: num(values, 'clip-norm', 5, { min: 0 }),
    patience: num(values, 'patience', 3, { int: true, min: 1 }),
    seed: net.seed,
    classWeights: classWeights === 'balanced' ? ('balanced' as const) : undefined,
  };
  const quantization = choice(values, 'quantization', ['none', 'float16', 'uint8', 'mixed'] as const, 'none');

  const { loadExamples } = await import('../data');
  const train = await loadExamples(trainFile, opts);
  const dev = devFile ? await loadExamples(devFile, opts) : [];
  if (train.length === 0) throw Object.assign(new Error(`Expected labelled examples in ${trainFile}. Received: none`), { code: 'PARSE_ERROR' });
  const backend = await setupBackend(values);
  const { SentimentClassifier } = await import('../classifier');
  const clf = new SentimentClassifier(net);
  process.stderr.write(`training on ${train.length} examples${dev.length ? `, dev ${dev.length}` : ''} (backend ${backend})\n`);
  const result = await clf.train(train, { ...trainOpts, dev, onProgress: progressBar() });
  await clf.save(out, { quantization, info: { trainFile, devFile, examples: train.length, bestEpoch: result.bestEpoch + 1, devAccuracy: result.bestDevAccuracy, seed: net.seed } });
  process.stderr.write(`saved to ${out} (best epoch ${result.bestEpoch + 1}${result.stoppedEarly ? ', stopped early' : ''}, ${(result.elapsedMs / 1000).toFixed(1)} s)\n`);
  if (dev.length > 0) process.stdout.write(formatEvaluation(clf.evaluate(dev)));
  clf.dispose();
  return EXIT.OK;
}
