// The CLIs as installed from the tarballs (node_modules/.bin): a plain prediction is silent on stderr,
// unknown options are usage errors (exit 2), and a closed pipe (`| head -1`) ends quietly with 0.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { app } from './work';

const bin = (name: string) => join(app, 'node_modules/.bin', name);
const cli = (name: string, args: string[]) => spawnSync(bin(name), args, { cwd: app, encoding: 'utf8', timeout: 180_000 });

/** Exit status of `producer | cli args | head -1` for the CLI (the middle command), and its stderr. */
function intoHead(name: string, args: string[], line: string): { status: number; stderr: string } {
  const script = `set -o pipefail; for i in $(seq 1 3000); do echo ${JSON.stringify(line)}; done | ${JSON.stringify(bin(name))} ${args.map((a) => JSON.stringify(a)).join(' ')} 2>"$ERR" | head -1 >/dev/null; s=("\${PIPESTATUS[@]}"); echo "\${s[1]}"`;
  const err = join(app, `${name}.stderr`);
  const r = spawnSync('bash', ['-c', script], { cwd: app, encoding: 'utf8', env: { ...process.env, ERR: err }, timeout: 300_000 });
  const stderr = spawnSync('cat', [err], { encoding: 'utf8' }).stdout;
  return { status: Number(r.stdout.trim()), stderr };
}

describe('installed CLIs', () => {
  it('rnnkit-sentiment predict "a fine film" prints the label and nothing on stderr', () => {
    const r = cli('rnnkit-sentiment', ['predict', 'a fine film']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/positive/);
  });

  it.each([
    ['rnnkit-sentiment', ['predict', '--bogus', '1', 'a fine film']],
    ['rnnkit-translate', ['--bogus', '1', 'Hello.']],
  ])('%s refuses an unknown option with exit 2', (name, args) => {
    const r = cli(name, args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bogus/);
  });

  it.each([
    ['rnnkit-sentiment', ['predict'], 'a fine film'],
    ['rnnkit-translate', [], 'Hello.'],
  ])('%s | head -1 ends quietly with 0', (name, args, line) => {
    const r = intoHead(name, args, line);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
