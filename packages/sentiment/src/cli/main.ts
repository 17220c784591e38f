// rnnkit-sentiment: dispatch, model and backend setup, and the one place errors become a one-line
// message and an exit code. Commands are imported on demand (training code only for `train`).
import { EXIT, HELP, parseCommandLine, UsageError } from './args';

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  for (const rel of ['../package.json', '../../package.json']) {
    const pkg = JSON.parse(await readFile(new URL(rel, import.meta.url), 'utf8').catch(() => '{}')) as { name?: string; version?: string };
    if (pkg.name === '@rnnkit/sentiment' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError) return EXIT.USAGE;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'IO_ERROR' || code === 'PARSE_ERROR') return EXIT.INPUT;
  if (code === 'INVALID_MODEL' || code === 'MISMATCH' || code === 'UNKNOWN_CLASS' || code === 'WEIGHT_MISMATCH') return EXIT.MODEL;
  if (code === 'INVALID_ARGUMENT') return EXIT.USAGE;
  return EXIT.RUNTIME;
}

/** Runs the CLI; returns the exit code (never throws). */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    if (args.values.version) {
      process.stdout.write(`${await version()}\n`);
      return EXIT.OK;
    }
    if (args.values.help || args.command === null) {
      (args.command === null && !args.values.help ? process.stderr : process.stdout).write(HELP);
      return args.command === null && !args.values.help ? EXIT.USAGE : EXIT.OK;
    }
    if (args.command === 'predict') return await (await import('./predict')).runPredict(args);
    if (args.command === 'eval') return await (await import('./evaluate')).runEval(args);
    return await (await import('./train')).runTrain(args);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = err instanceof UsageError ? ' (see rnnkit-sentiment --help)' : '';
    process.stderr.write(`rnnkit-sentiment: ${(message.split('\n')[0] ?? '').trim()}${hint}\n`);
    if (process.env.RNNKIT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return exitCodeOf(err);
  }
}
