#!/usr/bin/env node
// The long fuzz run (issue 16): every fuzz target of the suite (packages/*/test/fuzz/*.fuzz.test.ts)
// with --runs inputs each (default 100,000), then a table of inputs, crashes and time per target. The
// same targets run with a few hundred seeded inputs in `pnpm test`.
//
//   node scripts/fuzz.mjs [core|text|sentiment ...] [--runs 100000] [--chunk 25000] [--seed 1] [--max-huge 20000] [--jobs N] [--out summary.json] [--report chunks.jsonl] [--no-build]
//
// The fuzz tests are bundled with scripts/fuzz-runner.ts into .fuzz/fuzz-runner.cjs (tsup; one file, no
// node_modules needed to run it, so --no-build runs a bundle copied to another machine). Each target's
// inputs are split into chunks of --chunk inputs with their own seeds (seed * 1000 + chunk), run --jobs at
// a time (default: the CPU count). --max-huge caps the occasional huge input (the suite's own runs go to
// 200,000 characters) so the time goes into many inputs. Exits 1 when a target fails (its counterexample
// and seed are printed) or runs fewer inputs than asked.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '100000' },
    chunk: { type: 'string', default: '25000' },
    seed: { type: 'string', default: '1' },
    'max-huge': { type: 'string', default: '20000' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    out: { type: 'string' },
    report: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const chunk = Math.min(Number(values.chunk), runs);
const seed = Number(values.seed);
const bundle = join(root, '.fuzz', 'fuzz-runner.cjs');

if (!values['no-build'] || !existsSync(bundle)) {
  const { build } = await import('tsup');
  await build({
    entry: { 'fuzz-runner': join(root, 'scripts', 'fuzz-runner.ts') }, outDir: join(root, '.fuzz'), format: ['cjs'], platform: 'node', target: 'node20',
    noExternal: [/.*/], tsconfig: join(root, 'tsconfig.base.json'), dts: false, sourcemap: false, splitting: false, clean: true, silent: true, outExtension: () => ({ js: '.cjs' }),
  });
}

// positionals pick packages (core, text, sentiment); none: all
const targets = execFileSync(process.execPath, [bundle, 'list'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' ').slice(0, 2))
  .filter(([file]) => positionals.length === 0 || positionals.includes(file));
const jobs = targets.flatMap(([file, index]) =>
  Array.from({ length: Math.ceil(runs / chunk) }, (_, part) => ({ file, index, part, runs: Math.min(chunk, runs - part * chunk), seed: seed * 1000 + part })),
);
const work = mkdtempSync(join(tmpdir(), 'rnnkit-fuzz-'));
const report = values.report ?? join(work, 'report.jsonl'); // JSON lines, one per finished chunk
const start = Date.now();
let failures = 0;
let done = 0;

function runJob(job) {
  const env = { ...process.env, FUZZ_RUNS: String(job.runs), FUZZ_SEED: String(job.seed), FUZZ_MAX_HUGE: values['max-huge'], FUZZ_REPORT: report };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, 'run', job.file, job.index], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      done++;
      if (code !== 0) {
        failures++;
        console.error(err.replace(/^.*tfjs-node.*$|^=+$|^Hi, looks like.*$/gm, '').trim());
      }
      if (done % 10 === 0 || done === jobs.length) console.error(`[fuzz] ${done}/${jobs.length} jobs, ${Math.round((Date.now() - start) / 1000)} s`);
      resolve();
    });
  });
}

const queue = [...jobs];
await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, async () => {
  for (let job = queue.shift(); job; job = queue.shift()) await runJob(job);
}));

const lines = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
rmSync(work, { recursive: true, force: true });
const byTarget = new Map();
for (const l of lines) {
  const t = byTarget.get(l.target) ?? { target: l.target, inputs: 0, crashes: 0, ms: 0, seeds: [] };
  t.inputs += l.inputs;
  t.crashes += l.crashes;
  t.ms += l.ms;
  t.seeds.push(l.seed);
  byTarget.set(l.target, t);
}
const rows = [...byTarget.values()];
const total = rows.reduce((a, r) => ({ inputs: a.inputs + r.inputs, crashes: a.crashes + r.crashes }), { inputs: 0, crashes: 0 });
const wall = Math.round((Date.now() - start) / 1000);
console.log(`| target | inputs | crashes | time (s, summed over chunks) |\n|---|---:|---:|---:|`);
for (const r of rows) console.log(`| ${r.target} | ${r.inputs.toLocaleString('en')} | ${r.crashes} | ${(r.ms / 1000).toFixed(0)} |`);
console.log(`| **${rows.length} targets** | **${total.inputs.toLocaleString('en')}** | **${total.crashes}** | **${wall} s wall, ${values.jobs} jobs** |`);
console.log(`\n${runs} inputs per target in chunks of ${chunk} (seeds ${seed * 1000}..${seed * 1000 + Math.ceil(runs / chunk) - 1}), huge inputs up to ${values['max-huge']} characters, node ${process.version}`);
if (values.out) writeFileSync(values.out, `${JSON.stringify({ runsPerTarget: runs, chunk, seed, maxHuge: Number(values['max-huge']), jobs: Number(values.jobs), wallSeconds: wall, node: process.version, ...total, targets: rows }, null, 1)}\n`);
const short = targets.length !== rows.length || rows.some((r) => r.inputs < runs);
process.exit(failures > 0 || total.crashes > 0 || short ? 1 : 0);
