// rnnkit-translate: the command-line entry, built as CommonJS (dist/cli.cjs) and started by src/bin.ts. See
// src/cli/ for the commands.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runCli } from '@rnnkit/core/cli';
import { main } from './cli/run';

const here = dirname(fileURLToPath(import.meta.url)); // dist/ (built) or src/ (tsx)
const pkg = JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { version: string };

void runCli('rnnkit-translate', () => main(process.argv.slice(2), { defaultModel: join(here, '..', 'model'), version: pkg.version }));
