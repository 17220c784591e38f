// The one place where a CLI's errors become a one-line message and an exit code.
import { exitCodeOf, UsageError } from './exitCodes';
import { guardOutput } from './output';

/**
 * Runs `main` as the command `name`: installs the stdout error contract, turns any error into one line
 * on stderr (a stack trace only with RNNKIT_DEBUG=1) and its exit code, and sets `process.exitCode`.
 */
export async function runCli(name: string, main: () => Promise<number>): Promise<number> {
  guardOutput(name);
  let code: number;
  try {
    code = await main();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = err instanceof UsageError ? ` (see ${name} --help)` : '';
    process.stderr.write(`${name}: ${(message.split('\n')[0] ?? '').trim()}${hint}\n`);
    if (process.env.RNNKIT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    code = exitCodeOf(err);
  }
  process.exitCode = code;
  return code;
}
