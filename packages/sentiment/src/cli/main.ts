// rnnkit-sentiment: dispatch. Commands are imported on demand (training code only for `train`); core's
// runCli turns errors into one line and an exit code.
import { EXIT, UsageError, write } from '@rnnkit/core/cli';
import { HELP, parseArguments } from './args';

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  for (const rel of ['../package.json', '../../package.json']) {
    const pkg = JSON.parse(await readFile(new URL(rel, import.meta.url), 'utf8').catch(() => '{}')) as { name?: string; version?: string };
    if (pkg.name === '@rnnkit/sentiment' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

/** Runs rnnkit-sentiment with `argv`; returns the exit code (errors are thrown to runCli). */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArguments(argv);
  if (args.values.version === true) {
    await write(`${await version()}\n`);
    return EXIT.OK;
  }
  if (args.command === 'help' || args.values.help === true) {
    if (args.command === 'help' && argv.length === 0) {
      process.stderr.write(HELP);
      return EXIT.USAGE; // no command at all
    }
    await write(HELP);
    return EXIT.OK;
  }
  if (args.command === 'predict') return (await import('./predict')).runPredict(args);
  if (args.positionals.length > 0) throw new UsageError(`${args.command} takes no TEXT arguments. Received: ${JSON.stringify(args.positionals[0])}`);
  if (args.command === 'eval') return (await import('./evaluate')).runEval(args);
  return (await import('./train')).runTrain(args);
}
