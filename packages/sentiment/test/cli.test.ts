// The rnnkit-sentiment CLI in a child process (tsx on the sources), against a tiny model trained here.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '@rnnkit/core';
import { trainTiny, FIXTURES } from './helpers';

const pkg = resolve(__dirname, '..');
const tsx = resolve(pkg, '../../node_modules/.bin/tsx');
let dir: string;
let model: string;

function cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(tsx, [join(pkg, 'src/cli.ts'), ...args], { cwd: pkg, encoding: 'utf8', env: { ...process.env, RNNKIT_DEBUG: '' } }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'rnnkit-cli-'));
  model = join(dir, 'model');
  const { clf } = await trainTiny();
  await clf.save(model);
  clf.dispose();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rnnkit-sentiment', () => {
  it('predict TEXT... prints a label and confidence per text', async () => {
    const r = await cli(['predict', '--model', model, 'a really great film', 'the plot was awful']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^pos\s+\d\.\d{3}\s+a really great film$/);
    expect(lines[1]).toMatch(/^neg\s/);
  });

  it('predict from stdin as jsonl with --explain, skipping empty lines and saying so', async () => {
    const r = await cli(['predict', '--model', model, '--format', 'jsonl', '--explain'], 'good music\n\n   \nboring cast\n');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string; confidence: number; scores: Record<string, number>; tokens: unknown[] });
    expect(rows.map((o) => o.text)).toEqual(['good music', 'boring cast']);
    expect(rows[0]?.label).toBe('pos');
    expect(Object.keys(rows[0]?.scores ?? {}).sort()).toEqual(['neg', 'pos']);
    expect(rows[1]?.tokens).toHaveLength(2);
    expect(r.stderr).toContain('skipped 2 empty lines');
  });

  it('predict --input FILE in small batches, as tsv and as json', async () => {
    const input = join(dir, 'in.txt');
    writeFileSync(input, Array.from({ length: 25 }, (_, i) => (i % 2 ? 'a bad film' : 'a good film')).join('\n'));
    const tsv = await cli(['predict', '--model', model, '--input', input, '--format', 'tsv', '--batch-size', '4']);
    expect(tsv.code).toBe(0);
    const lines = tsv.stdout.trim().split('\n');
    expect(lines[0]).toBe('label\tconfidence\tp_neg\tp_pos\ttext');
    expect(lines).toHaveLength(26);
    expect(lines.slice(1).map((l) => l.split('\t')[0])).toEqual(Array.from({ length: 25 }, (_, i) => (i % 2 ? 'neg' : 'pos')));
    const json = await cli(['predict', '--model', model, '--input', input, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toHaveLength(25);
  });

  it('eval --data prints accuracy, per-class metrics and the confusion matrix', async () => {
    const r = await cli(['eval', '--model', model, '--data', join(FIXTURES, 'tiny-dev.tsv'), '--format', 'json']);
    expect(r.code).toBe(0);
    const ev = JSON.parse(r.stdout) as { accuracy: number; confusion: number[][] };
    expect(ev.accuracy).toBeGreaterThan(0.8);
    expect(ev.confusion).toHaveLength(2);
  });

  it('train --train --dev --out writes a model that predict can use, with per-epoch metrics on stderr', async () => {
    const out = join(dir, 'trained');
    const r = await cli(['train', '--train', join(FIXTURES, 'tiny-train.tsv'), '--dev', join(FIXTURES, 'tiny-dev.tsv'), '--out', out, '--epochs', '3', '--units', '4', '--embedding-dim', '8', '--batch-size', '8']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/epoch 3\/3 +loss \d\.\d{4} +dev accuracy/);
    expect(r.stderr).toMatch(/ETA/);
    expect(r.stdout).toMatch(/accuracy/);
    const p = await cli(['predict', '--model', out, 'good']);
    expect(p.code).toBe(0);
  });

  it('bad input gets a one-line message and a documented exit code, never a stack trace', async () => {
    const latin1 = join(dir, 'latin1.txt');
    writeFileSync(latin1, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const cases: Array<[string[], number, RegExp]> = [
      [['predict', '--model', model, '--input', join(dir, 'missing.txt')], 3, /missing\.txt \(no such file\)/],
      [['predict', '--model', model, '--input', latin1], 3, /latin1\.txt: expected UTF-8/],
      [['predict', '--model', dir, 'text'], 4, /sentiment\.json/],
      [['predict', '--model', model, '--format', 'xml', 'text'], 2, /--format/],
      [['frobnicate'], 2, /Unknown command/],
      [['eval', '--model', model], 2, /--data/],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli(args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--help and --version', async () => {
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Exit codes');
    const v = await cli(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
