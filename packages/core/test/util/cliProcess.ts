// Test helpers for the CLIs of the packages: a CLI in a child process through tsx (on the sources),
// and many command lines at once through cliHarness.ts. Shared by the sentiment and seq2seq tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const TSX = resolve(__dirname, '../../../../node_modules/.bin/tsx');
/**
 * Node flag that resolves the workspace packages to their sources (the `@rnnkit/source` condition first in
 * each package's exports map): tsx does not read tsconfig's customConditions, so child processes pass it.
 */
export const SOURCE_CONDITION = '--conditions=@rnnkit/source';
const HARNESS = resolve(__dirname, 'cliHarness.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tsx ENTRY ...args` in `cwd` with `input` on stdin. */
export function runCli(cwd: string, entry: string, args: readonly string[], input?: string | Buffer): CliResult {
  const r = spawnSync(TSX, [SOURCE_CONDITION, entry, ...args], { cwd, input: input ?? '', encoding: 'utf8', timeout: 120000, env: { ...process.env, RNNKIT_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a shell pipeline (bash) in `cwd`; `$CLI` is the tsx command for `entry`. */
export function runShell(cwd: string, entry: string, script: string): CliResult {
  const r = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', timeout: 120000, env: { ...process.env, RNNKIT_DEBUG: '', CLI: `${TSX} ${SOURCE_CONDITION} ${entry}` } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface HarnessCase {
  argv: string[];
  stdin?: Buffer | string;
}

/** Runs all `cases` through `module`'s `exportName(argv, ctx)` in one process; one result per case. */
export function runCases(cwd: string, module: string, exportName: string, name: string, cases: readonly HarnessCase[], ctx?: unknown): CliResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'rnnkit-harness-'));
  try {
    const casesFile = join(dir, 'cases.json');
    const resultsFile = join(dir, 'results.json');
    writeFileSync(casesFile, JSON.stringify({ name, ctx, cases: cases.map((c) => ({ argv: c.argv, stdin: Buffer.from(c.stdin ?? '').toString('base64') })) }));
    const r = spawnSync(TSX, [SOURCE_CONDITION, HARNESS, module, exportName, casesFile, resultsFile], { cwd, encoding: 'utf8', timeout: 300000, env: { ...process.env, RNNKIT_DEBUG: '' } });
    if (r.status !== 0) throw new Error(`harness failed (${r.status}): ${r.stderr}`);
    return JSON.parse(readFileSync(resultsFile, 'utf8')) as CliResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts the CLI with a stdin we write to (and signals we send): `send(line)` writes a line and resolves with the stdout
 * lines that arrive before `timeoutMs` (interactive use).
 */
export function interactive(cwd: string, entry: string, args: readonly string[]) {
  // node with tsx as a loader (one process): signals reach the CLI itself, not a tsx wrapper.
  const child = spawn(process.execPath, [SOURCE_CONDITION, '--import', 'tsx', entry, ...args], { cwd, env: { ...process.env, RNNKIT_DEBUG: '' } });
  let out = '';
  let err = '';
  let waiter: (() => void) | null = null;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    waiter?.();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return {
    child,
    /** Writes `line` and waits until stdout holds `lines` lines (or the timeout). */
    async send(line: string, lines: number, timeoutMs = 60000): Promise<string[]> {
      child.stdin.write(`${line}\n`);
      const count = () => out.split('\n').length - 1;
      const t0 = Date.now();
      while (count() < lines && Date.now() - t0 < timeoutMs) await new Promise<void>((r) => ((waiter = r), setTimeout(r, 200)));
      return out.split('\n').slice(0, -1);
    },
    async end(): Promise<{ code: number | null; stdout: string; stderr: string }> {
      child.stdin.end();
      const code = await exited;
      return { code, stdout: out, stderr: err };
    },
    /** Waits until stderr matches `re`. */
    async waitStderr(re: RegExp, timeoutMs = 60000): Promise<boolean> {
      const t0 = Date.now();
      while (!re.test(err) && Date.now() - t0 < timeoutMs) await new Promise<void>((r) => setTimeout(r, 100));
      return re.test(err);
    },
    exited,
    stderr: () => err,
  };
}

/**
 * What a CLI must do with `input` on stdin: its lines (a final line break ends the last line, it does
 * not start another) and the 0-based index of the first line that is not UTF-8 (-1 when all are).
 */
export function expectedLines(input: Buffer): { rows: number; badLine: number } {
  const rows = input.toString('latin1').split('\n');
  if (rows[rows.length - 1] === '') rows.pop();
  const badLine = rows.findIndex((row) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(row, 'latin1'));
      return false;
    } catch {
      return true;
    }
  });
  return { rows: rows.length, badLine };
}

/** A command line, the exit code it must give and what its one-line message must say. */
export type ExitCase = [argv: string[], code: number, message: RegExp];

/** Checks `results` (one per case, in order): the code, the message, one line, no stack trace. */
export function expectExitCases(cases: readonly ExitCase[], results: readonly CliResult[]): void {
  cases.forEach(([argv, code, message], i) => {
    const r = results[i];
    expect({ argv, code: r?.code }).toEqual({ argv, code });
    expect(r?.stderr).toMatch(message);
    expect(r?.stderr.trim().split('\n')).toHaveLength(1);
    expect(r?.stderr).not.toMatch(/\n\s+at /);
  });
}
