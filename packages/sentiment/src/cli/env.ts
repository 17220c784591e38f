// Environment of a CLI command: the shipped model's folder and the tfjs backend.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@rnnkit/core';
import { UsageError, type ParsedArgs } from './args';

/** Where the shipped model is: the package's `model/` folder, beside `dist/` (built CLI) or `src/` (tsx). */
export function defaultModelDir(): string {
  const candidates = ['../model', '../../model'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'sentiment.json'))) ?? (candidates[0] as string);
}

/** Picks the backend (core's initBackend) and quiets tfjs's console banner. */
export async function setupBackend(values: ParsedArgs['values']): Promise<string> {
  const preferred = typeof values.backend === 'string' ? values.backend : undefined;
  const warn = console.warn;
  console.warn = () => undefined; // tfjs prints a "install tfjs-node" banner on Node
  try {
    const name = await initBackend(preferred as Parameters<typeof initBackend>[0]);
    if (preferred && name !== preferred) throw new UsageError(`Expected --backend ${preferred} to be available. Received: it is not installed; using it is impossible (available: ${name})`);
    return name;
  } finally {
    console.warn = warn;
  }
}

