// Runs many command lines of a CLI in one process (tests: starting a process per case costs seconds).
// Usage: tsx cliHarness.ts MODULE EXPORT CASES.json RESULTS.json
//   MODULE exports EXPORT(argv, ctx?) -> exit code; CASES.json is { ctx?, cases: [{ argv, stdin? (base64) }] }.
// Each case gets its own stdin, and its stdout/stderr are captured; errors go through runCli as in the
// real entry point. RESULTS.json receives [{ code, stdout, stderr }].
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { runCli } from '../../src/cli/run';

interface Case {
  argv: string[];
  stdin?: string;
}

const [modulePath, exportName, casesFile, resultsFile] = process.argv.slice(2) as [string, string, string, string];
const { ctx, cases, name } = JSON.parse(readFileSync(casesFile, 'utf8')) as { ctx?: unknown; cases: Case[]; name: string };
const mod = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, (argv: string[], ctx?: unknown) => Promise<number>>;
const run = mod[exportName] as (argv: string[], ctx?: unknown) => Promise<number>;
process.stdout.setMaxListeners(0);

const results: Array<{ code: number; stdout: string; stderr: string }> = [];
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
for (const c of cases) {
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(c.stdin ?? '', 'base64')]), configurable: true });
  let code: number;
  try {
    code = await runCli(name, () => run(c.argv, ctx));
  } catch (err) {
    code = -1; // runCli never throws: a bug
    stderr += `HARNESS: ${(err as Error).stack}`;
  }
  process.stdout.write = realOut;
  process.stderr.write = realErr;
  results.push({ code, stdout, stderr });
}
process.exitCode = 0;
writeFileSync(resultsFile, JSON.stringify(results));
