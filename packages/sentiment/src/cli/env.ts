// Environment of a CLI command: the shipped model's folder, the --model check and the tfjs backend.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModelFolder, setupCliBackend, str, type CliWorkload, type OptionValues } from '@rnnkit/core/cli';
import type { SentimentClassifier } from '../classifier';

/** Where the shipped model is: the package's `model/` folder, beside `dist/` (built CLI) or `src/` (tsx). */
export function defaultModelDir(): string {
  const candidates = ['../model', '../../model'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'sentiment.json'))) ?? (candidates[0] as string);
}

/** Picks the backend (before any tensor exists, so tfjs prints nothing). */
export function setupBackend(values: OptionValues, workload: CliWorkload = {}): Promise<string> {
  return setupCliBackend(str(values, 'backend'), workload);
}

/** Checks and loads the model named by --model (or the shipped one): missing or not a model is exit 4. */
export async function loadModel(values: OptionValues, workload: CliWorkload = {}): Promise<SentimentClassifier> {
  const dir = str(values, 'model') ?? defaultModelDir();
  await checkModelFolder(dir, 'sentiment.json');
  await setupBackend(values, workload);
  const { SentimentClassifier } = await import('../classifier');
  return SentimentClassifier.load(dir);
}
