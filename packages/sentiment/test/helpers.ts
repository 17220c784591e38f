// Shared test helpers: the tiny fixture and a tiny model trained on it.
import { join } from 'node:path';
import { loadExamples, SentimentClassifier, type Example } from '../src/index';

export const FIXTURES = join(__dirname, 'fixtures');

export async function tinyData(): Promise<{ train: Example[]; dev: Example[] }> {
  return { train: await loadExamples(join(FIXTURES, 'tiny-train.tsv')), dev: await loadExamples(join(FIXTURES, 'tiny-dev.tsv')) };
}

/** A small BiLSTM trained on the fixture (a few seconds). */
export async function trainTiny(options: { cell?: 'lstm' | 'gru'; pooling?: 'max' | 'mean' | 'last'; seed?: number } = {}): Promise<{ clf: SentimentClassifier; train: Example[]; dev: Example[]; devAccuracy: number | null }> {
  const { train, dev } = await tinyData();
  const clf = new SentimentClassifier({ embeddingDim: 16, units: 8, cell: options.cell ?? 'lstm', pooling: options.pooling ?? 'max', dropout: 0.1, seed: options.seed ?? 3 });
  const r = await clf.train(train, { dev, epochs: 25, batchSize: 8, lr: 0.02, patience: 25, seed: options.seed ?? 3 });
  return { clf, train, dev, devAccuracy: r.bestDevAccuracy };
}
