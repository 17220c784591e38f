// The temporary npm project that globalSetup.cjs installed the tarballs into, for every test file.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const repo = resolve(__dirname, '../../..');

/** The temporary folder: tarballs/ and app/ (the user's project). */
export const work = process.env.RNNKIT_PACK_WORK ?? '';
/** The user's project with the tarballs, tfjs and the bundlers installed. */
export const app = join(work, 'app');
/** Tarball of each packed package, by short name (core, text, ...). */
export const tarballs = JSON.parse(process.env.RNNKIT_PACK_TARBALLS ?? '{}') as Record<string, string>;
export const publishable = Object.keys(tarballs);
export const tfjsVersion = process.env.RNNKIT_PACK_TFJS ?? '';

if (!work) throw new Error('Expected RNNKIT_PACK_WORK from test/globalSetup.cjs. Received: none (run the tests through jest.config.cjs)');

/** Runs a command, returning its stdout; throws with its stderr when it fails. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error', ...env } });
}
