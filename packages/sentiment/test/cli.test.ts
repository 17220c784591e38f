// The rnnkit-sentiment CLI in child processes (tsx on the sources), against a tiny model trained here.
// Exit-code cases run many at once in one process (core's cliHarness); pipes, signals and streaming
// need their own process.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '@rnnkit/core';
import { expectExitCases, expectedLines, interactive, runCases, runCli, runShell, type ExitCase } from '../../core/test/util/cliProcess';
import { trainTiny, FIXTURES } from './helpers';

const pkg = resolve(__dirname, '..');
const ENTRY = 'src/cli.ts';
let dir: string;
let model: string;

const cli = (args: string[], stdin?: string | Buffer) => runCli(pkg, ENTRY, args, stdin);
const cases = (list: Array<{ argv: string[]; stdin?: string | Buffer }>) => runCases(pkg, 'src/cli/main.ts', 'main', 'rnnkit-sentiment', list);
const lines = (s: string) => s.split('\n').slice(0, -1);

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
    const r = cli(['predict', '--model', model, 'a really great film', 'the plot was awful']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // no tfjs banner, no noise
    const out = r.stdout.trim().split('\n');
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^pos\s+\d\.\d{3}\s+a really great film$/);
    expect(out[1]).toMatch(/^neg\s/);
  });

  it('keeps output lines 1:1 with input lines (empty result for an empty line); --skip-empty drops them', async () => {
    const [text, jsonl, tsv, skip] = cases([
      { argv: ['predict', '--model', model], stdin: 'good music\n\n   \nboring cast\n' },
      { argv: ['predict', '--model', model, '--format', 'jsonl', '--explain'], stdin: 'good music\n\nboring cast\n' },
      { argv: ['predict', '--model', model, '--format', 'tsv'], stdin: 'good\n\nbad' },
      { argv: ['predict', '--model', model, '--format', 'jsonl', '--skip-empty'], stdin: 'good music\n\n   \nboring cast\n' },
    ]);
    expect(text?.code).toBe(0);
    const t = lines(text?.stdout ?? '');
    expect(t).toHaveLength(4);
    expect(t[1]).toBe('');
    expect(t[2]).toBe('');
    const rows = lines(jsonl?.stdout ?? '').map((l) => JSON.parse(l) as { text: string; label: string | null; empty?: boolean; scores: Record<string, number> | null; tokens?: unknown[] });
    expect(rows.map((o) => o.text)).toEqual(['good music', '', 'boring cast']);
    expect(rows[1]).toMatchObject({ label: null, empty: true });
    expect(rows[0]?.label).toBe('pos');
    expect(Object.keys(rows[0]?.scores ?? {}).sort()).toEqual(['neg', 'pos']);
    expect(rows[2]?.tokens).toHaveLength(2);
    expect(lines(tsv?.stdout ?? '')).toHaveLength(4); // header + 3
    expect(lines(skip?.stdout ?? '').map((l) => (JSON.parse(l) as { text: string }).text)).toEqual(['good music', 'boring cast']);
  });

  it('escapes control characters in text and tsv output (jsonl escapes them as JSON)', async () => {
    const [text, tsv] = cases([
      { argv: ['predict', '--model', model, 'good\u001b[2J\u0007film'] },
      { argv: ['predict', '--model', model, '--format', 'tsv'], stdin: 'good\tfilm\r\u001b]0;x\u0007\n' },
    ]);
    expect(text?.stdout).toContain('good\\e[2J\\x07film');
    expect(tsv?.stdout).toContain('good\\tfilm\\r\\e]0;x\\x07');
    const raw = (s: string | undefined) => [...(s ?? '')].some((c) => c < ' ' && c !== '\t' && c !== '\n');
    expect(raw(text?.stdout)).toBe(false);
    expect(raw(tsv?.stdout)).toBe(false);
  });

  it('predict --input FILE in small batches, as tsv and as json; the help says jsonl is the streaming format', async () => {
    const input = join(dir, 'in.txt');
    writeFileSync(input, Array.from({ length: 25 }, (_, i) => (i % 2 ? 'a bad film' : 'a good film')).join('\n'));
    const [tsv, json, help] = cases([
      { argv: ['predict', '--model', model, '--input', input, '--format', 'tsv', '--batch-size', '4'] },
      { argv: ['predict', '--model', model, '--input', input, '--format', 'json'] },
      { argv: ['--help'] },
    ]);
    expect({ code: tsv?.code, stderr: tsv?.stderr }).toEqual({ code: 0, stderr: '' });
    const out = tsv?.stdout.trim().split('\n') ?? [];
    expect(out[0]).toBe('label\tconfidence\tp_neg\tp_pos\ttext');
    expect(out).toHaveLength(26);
    expect(out.slice(1).map((l) => l.split('\t')[0])).toEqual(Array.from({ length: 25 }, (_, i) => (i % 2 ? 'neg' : 'pos')));
    expect(JSON.parse(json?.stdout ?? '')).toHaveLength(25);
    expect(help?.stdout).toMatch(/jsonl[^\n]*\n?[^\n]*streaming format/);
  });

  it('eval --data prints accuracy, per-class metrics and the confusion matrix', async () => {
    const [r] = cases([{ argv: ['eval', '--model', model, '--data', join(FIXTURES, 'tiny-dev.tsv'), '--format', 'json'] }]);
    expect(r?.code).toBe(0);
    const ev = JSON.parse(r?.stdout ?? '') as { accuracy: number; confusion: number[][] };
    expect(ev.accuracy).toBeGreaterThan(0.8);
    expect(ev.confusion).toHaveLength(2);
  });

  it('bad input gets a one-line message and a documented exit code, never a stack trace', async () => {
    const latin1 = join(dir, 'latin1.txt');
    writeFileSync(latin1, Buffer.from('fine\nok\nabc\xe9!\n', 'latin1'));
    const list: ExitCase[] = [
      [['predict', '--model', model, '--input', join(dir, 'missing.txt')], 3, /missing\.txt \(no such file\)/],
      [['predict', '--model', model, '--input', latin1], 3, /latin1\.txt: expected UTF-8 text\. Received: invalid UTF-8 on line 3 at byte 4 of the line \(0xe9\)/],
      [['predict', '--model', model, '--input', dir], 3, /\(a directory\)/],
      [['predict', '--model', dir, 'text'], 4, /sentiment\.json/],
      [['predict', '--model', join(dir, 'nope'), 'text'], 4, /no such folder/],
      [['predict', '--model', model, '--format', 'xml', 'text'], 2, /--format/],
      [['predict', '--model', model, '--batch-size', '-3', 'text'], 2, /Expected --batch-size to be an integer from 1 to 100000\. Received: "-3"/],
      [['predict', '--model', model, '--bem', '5', 'text'], 2, /Unknown option '--bem'/],
      [['predict', '--model', model, '-x'], 2, /Unknown option '-x'.*--/],
      [['predict', '--model', model, '--beam', '5', 'text'], 2, /--beam/],
      [['frobnicate'], 2, /Unknown command/],
      [['eval', '--model', model], 2, /--data/],
      [['train', '--train', join(FIXTURES, 'tiny-train.tsv'), '--out', join(pkg, 'README.md')], 2, /--out .*README\.md \(a file\)/],
      [['train', '--train', join(FIXTURES, 'tiny-train.tsv'), '--out', join(pkg, 'src')], 2, /a non-empty folder that is not one/],
      [['train', '--train', join(FIXTURES, 'tiny-train.tsv'), '--out', '/proc/nope/m'], 2, /not writable/],
      [['train', '--train', join(dir, 'missing.tsv'), '--out', join(dir, 'm2')], 3, /no such file/],
      [['train', '--train', join(FIXTURES, 'tiny-train.tsv'), '--out', join(dir, 'm3'), '--resume'], 3, /checkpoint to resume from/],
    ];
    const t0 = Date.now();
    const results = cases(list.map(([argv]) => ({ argv })));
    expectExitCases(list, results);
    expect(Date.now() - t0).toBeLessThan(60000); // /proc/nope/m fails fast instead of hanging
    expect(existsSync(join(dir, 'm2'))).toBe(false);
  });

  it('help, --help and --version; no command prints the help on stderr with exit 2', async () => {
    const [h, word, v, none] = cases([{ argv: ['--help'] }, { argv: ['help'] }, { argv: ['--version'] }, { argv: [] }]);
    expect(h?.code).toBe(0);
    expect(h?.stdout).toContain('Exit codes');
    expect(h?.stdout).toMatch(/4 model error \(--model missing/);
    expect(word?.stdout).toBe(h?.stdout);
    expect(v?.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(none?.code).toBe(2);
    expect(none?.stderr).toContain('Usage:');
  });

  it('warns on stderr about results from text the model barely knows (lowCoverage)', async () => {
    const [r] = cases([{ argv: ['predict', '--model', model], stdin: 'a good film\nzzqx vlorp quux\n' }]);
    expect(r?.code).toBe(0);
    expect(lines(r?.stdout ?? '')).toHaveLength(2);
    expect(r?.stderr).toMatch(/^rnnkit-sentiment: warning: line 2: the model knows few of the words \(0% of its words\); the result is unreliable\n$/);
  });

  it('a 1 MB line is cut with a warning, in bounded time', async () => {
    const t0 = Date.now();
    const [r] = cases([{ argv: ['predict', '--model', model], stdin: `${'good film '.repeat(100_000)}\nbad\n` }]);
    expect(r?.code).toBe(0);
    expect(lines(r?.stdout ?? '')).toHaveLength(2);
    expect(r?.stderr).toMatch(/line 1: too long; only its first part was used \(the limit is 5000 characters\)/);
    expect(Date.now() - t0).toBeLessThan(60000);
  });

  it('a closed pipe ends quietly with 0; a full disk is one message and exit 1', async () => {
    const pipe = runShell(pkg, ENTRY, `yes 'a good film' | head -5000 | $CLI predict --model ${model} | head -1; echo "status \${PIPESTATUS[2]}" >&2`);
    expect(lines(pipe.stdout)).toHaveLength(1);
    expect(pipe.stderr.trim()).toBe('status 0');
    const full = runShell(pkg, ENTRY, `$CLI predict --model ${model} 'a good film' > /dev/full`);
    expect(full.code).toBe(1);
    expect(full.stderr.trim()).toBe('rnnkit-sentiment: could not write the output (ENOSPC: no space left on the device)');
  });

  it('reading stdin, prints each result as soon as its line arrives', async () => {
    const p = interactive(pkg, ENTRY, ['predict', '--model', model]);
    const first = await p.send('a good film', 1);
    expect(first).toHaveLength(1); // before the second line is written
    expect(first[0]).toMatch(/^pos /);
    const both = await p.send('a bad film', 2);
    expect(both).toHaveLength(2);
    const end = await p.end();
    expect(end.code).toBe(0);
  });

  it('train: progress with ETA, a model that predict can use, and Ctrl-C saves a checkpoint that --resume continues', async () => {
    const out = join(dir, 'trained');
    const args = ['train', '--train', join(FIXTURES, 'tiny-train.tsv'), '--dev', join(FIXTURES, 'tiny-dev.tsv'), '--out', out, '--epochs', '40', '--units', '4', '--embedding-dim', '8', '--batch-size', '8', '--checkpoint-every', '3', '--patience', '100'];
    const p = interactive(pkg, ENTRY, args);
    expect(await p.waitStderr(/epoch 1\/40 +step \d+\/200/)).toBe(true);
    p.child.kill('SIGINT');
    const code = await p.exited;
    expect(code).toBe(130);
    expect(p.stderr()).toMatch(/SIGINT received: stopping after this step/);
    expect(p.stderr()).toMatch(/stopped; checkpoint saved to .*trained\.checkpoint .*--resume/);
    expect(existsSync(join(`${out}.checkpoint`, 'state.json'))).toBe(true);
    expect(existsSync(out)).toBe(false);
    const again = cli(args);
    expect(again.code).toBe(2); // a checkpoint exists: --resume or remove it
    expect(again.stderr).toMatch(/add --resume/);
    const r = cli([...args, '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/resuming at epoch \d+, step \d+/);
    expect(r.stderr).toMatch(/epoch 40\/40 +loss \d\.\d{4} +dev accuracy/);
    expect(r.stderr).toMatch(/ETA/);
    expect(r.stdout).toMatch(/accuracy/);
    expect(existsSync(`${out}.checkpoint`)).toBe(false);
    const [pred] = cases([{ argv: ['predict', '--model', out, 'good'] }]);
    expect(pred?.code).toBe(0);
  });
});

describe('rnnkit-sentiment properties (fast-check, seeded)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fc = require('fast-check') as typeof import('fast-check');

  it('any argv: exit 0, 2, 3 or 4 and one clean message, never a stack trace', async () => {
    const textFile = join(dir, 'texts.txt');
    writeFileSync(textFile, 'good\nbad\n');
    mkdirSync(join(dir, 'emptydir'), { recursive: true });
    const word = fc.constantFrom('predict', 'eval', 'train', 'help', '--help', '-h', '--version', '--', '-x', '--bem', '5', '-3', '0', '1e9', 'NaN', '',
      '--batch-size', '--format', 'xml', 'jsonl', 'tsv', 'json', '--model', model, join(dir, 'emptydir'), '/nope', '--input', textFile, dir, '--skip-empty', '--explain',
      '--data', '--train', '--out', '/proc/nope/m', '--epochs', '--data-format', '--resume', '--checkpoint-every', '--backend', 'cpu', 'wasm', 'nothere');
    const argv = fc.array(fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), { maxLength: 7 });
    const samples = fc.sample(argv, { seed: 42, numRuns: 60 });
    const results = cases(samples.map((a) => ({ argv: a })));
    results.forEach((r, i) => {
      const ctx = { argv: samples[i], code: r.code, stderr: r.stderr };
      expect([0, 2, 3, 4]).toContain(r.code);
      expect(ctx.stderr).not.toMatch(/\n\s+at |HARNESS|TypeError|ReferenceError/);
      if (r.code !== 0 && r.code !== 2) expect(r.stderr.trim().split('\n').length).toBeGreaterThanOrEqual(1);
    });
  });

  it('any stdin: as many output lines as input lines, or an exact UTF-8 error', async () => {
    const texts = fc.array(fc.string({ unit: fc.oneof(fc.constantFrom('\u0000', '\u001b', '\r', '\t', '\u202e', '\ud800', '\u0301', '👩‍👩‍👧'), fc.string({ unit: 'grapheme', maxLength: 3 })), maxLength: 12 }).map((s) => s.replace(/\n/g, ' ')), { minLength: 1, maxLength: 6 });
    const bytes = fc.uint8Array({ maxLength: 60 });
    const textSamples = fc.sample(texts, { seed: 7, numRuns: 40 }).map((ls) => `${ls.join('\n')}\n`);
    const byteSamples = fc.sample(bytes, { seed: 8, numRuns: 30 }).map((b) => Buffer.from(b));
    const inputs: Buffer[] = [...textSamples.map((s) => Buffer.from(s, 'utf8')), ...byteSamples];
    const results = cases(inputs.map((stdin) => ({ argv: ['predict', '--model', model], stdin })));
    results.forEach((r, i) => {
      const input = inputs[i] as Buffer;
      const { rows, badLine } = expectedLines(input);
      const ctx = { input: input.toString('hex'), code: r.code, stderr: r.stderr };
      if (badLine >= 0) {
        expect(ctx.code).toBe(3);
        expect(ctx.stderr).toMatch(new RegExp(`invalid UTF-8 on line ${badLine + 1} at byte \\d+`));
      } else if (rows === 0) {
        expect(ctx.code).toBe(3);
      } else {
        expect(ctx.code).toBe(0);
        expect({ ...ctx, lines: lines(r.stdout).length }).toMatchObject({ lines: rows });
      }
      expect(ctx.stderr).not.toMatch(/\n\s+at |HARNESS/);
    });
  });
});
