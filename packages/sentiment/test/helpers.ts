// Shared test helpers: the tiny fixture and a tiny model trained on it.
import { join } from 'node:path';
import { WordVectors } from '@rnnkit/text';
import { loadExamples, SentimentClassifier, type Example } from '../src/index';

export const FIXTURES = join(__dirname, 'fixtures');

export async function tinyData(): Promise<{ train: Example[]; dev: Example[] }> {
  return { train: await loadExamples(join(FIXTURES, 'tiny-train.tsv')), dev: await loadExamples(join(FIXTURES, 'tiny-dev.tsv')) };
}

/** A small BiLSTM trained on the fixture (a few seconds). */
export async function trainTiny(options: { cell?: 'lstm' | 'gru'; pooling?: 'max' | 'mean' | 'last'; seed?: number; frozenVectors?: boolean } = {}): Promise<{ clf: SentimentClassifier; train: Example[]; dev: Example[]; devAccuracy: number | null }> {
  const { train, dev } = await tinyData();
  // frozenVectors: fixed deterministic "pretrained" vectors, not fine-tuned (the same table for every seed).
  const frozen = options.frozenVectors ? {
    trainEmbeddings: false,
    pretrained: (vocab: { tokens: readonly string[] }) => new WordVectors(vocab.tokens, Float32Array.from({ length: vocab.tokens.length * 16 }, (_, i) => Math.sin(i * 12.9898) * 0.5), 16),
  } : {};
  const clf = new SentimentClassifier({ embeddingDim: 16, units: 8, cell: options.cell ?? 'lstm', pooling: options.pooling ?? 'max', dropout: 0.1, seed: options.seed ?? 3, ...frozen });
  const r = await clf.train(train, { dev, epochs: 25, batchSize: 8, lr: 0.02, patience: 25, seed: options.seed ?? 3 });
  return { clf, train, dev, devAccuracy: r.bestDevAccuracy };
}
