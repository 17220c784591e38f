// rnnkit-translate in child processes (tsx on the sources), with a tiny model saved by the test.
// Exit-code cases run many at once in one process (core's cliHarness); pipes, signals and streaming
// need their own process.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectExitCases, expectedLines, interactive, runCases, runCli, runShell, type ExitCase } from '../../core/test/util/cliProcess';
import { initBackend } from '@rnnkit/core';
import { tinyTranslator } from './tinyModel';

const pkg = join(__dirname, '..');
const ENTRY = 'src/cli.ts';
let dir: string;
let model: string;

const cli = (args: string[], input?: string | Buffer) => runCli(pkg, ENTRY, args, input);
const lines = (s: string) => s.split('\n').slice(0, -1);
// Without --model the harness uses the tiny model as the default one.
const cases = (list: Array<{ argv: string[]; stdin?: string | Buffer }>) => runCases(pkg, 'src/cli/run.ts', 'main', 'rnnkit-translate', list, { defaultModel: model, version: '0.0.0-test' });

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'rnnkit-cli-'));
  model = join(dir, 'model');
  const t = await tinyTranslator();
  await t.save(model);
  t.model.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rnnkit-translate', () => {
  it('translates arguments, one line each, with nothing on stderr; beam 5 is the default', () => {
    const r = cli(['--model', model, '1 2 3', '4 5']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toHaveLength(2);
    const [explicit, greedy, help] = cases([{ argv: ['translate', '1 2 3', '4 5', '--beam', '5'] }, { argv: ['--beam', '1', '1 2 3'] }, { argv: ['--help'] }]);
    expect(explicit?.stdout).toBe(r.stdout);
    expect(lines(greedy?.stdout ?? '')).toHaveLength(1);
    expect(help?.stdout).toMatch(/--beam N +beam size, 1 = greedy \(default 5\)/);
  });

  it('translates stdin as jsonl with scores and one attention row per output token, 1:1 with input lines', () => {
    const [r, text, skip] = cases([
      { argv: ['--format', 'jsonl'], stdin: '1 2 3\n\n7 8\n' },
      { argv: [], stdin: '1 2\n\n \n3\n' },
      { argv: ['--skip-empty'], stdin: '1 2\n\n \n3\n' },
    ]);
    expect(r?.code).toBe(0);
    const rows = lines(r?.stdout ?? '').map((l) => JSON.parse(l) as { src: string; tokens: string[]; srcTokens: string[]; attention: number[][]; score: number; empty?: boolean });
    expect(rows.map((x) => x.src)).toEqual(['1 2 3', '', '7 8']);
    expect(rows[1]?.empty).toBe(true);
    for (const x of rows) {
      expect(typeof x.score).toBe('number');
      expect(x.attention).toHaveLength(x.tokens.length);
      for (const a of x.attention) expect(a).toHaveLength(x.srcTokens.length);
    }
    const t = lines(text?.stdout ?? '');
    expect(t).toHaveLength(4);
    expect(t[1]).toBe('');
    expect(t[2]).toBe('');
    expect(lines(skip?.stdout ?? '')).toHaveLength(2);
  });

  it('takes --length-penalty by name (gnmt with --alpha 0 ranks as none); another name is a usage error', () => {
    const [none, gnmt0, avg, bad] = cases([
      { argv: ['--format', 'jsonl', '--length-penalty', 'none', '1 2 3', '4 5'] },
      { argv: ['--format', 'jsonl', '--alpha', '0', '1 2 3', '4 5'] },
      { argv: ['--length-penalty', 'average', '1 2 3'] },
      { argv: ['--length-penalty', 'wu', '1 2 3'] },
    ]);
    expect(none?.code).toBe(0);
    expect(none?.stdout).toBe(gnmt0?.stdout);
    expect(lines(avg?.stdout ?? '')).toHaveLength(1);
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toContain('Expected --length-penalty to be one of gnmt, average, none');
  });

  it('eval prints BLEU for --src / --ref files', () => {
    writeFileSync(join(dir, 'src.txt'), '1 2 3\n4 5 6\n');
    writeFileSync(join(dir, 'ref.txt'), '3 2 1\n6 5 4\n');
    const [r] = cases([{ argv: ['eval', '--src', join(dir, 'src.txt'), '--ref', join(dir, 'ref.txt')] }]);
    expect(r?.code).toBe(0);
    expect(r?.stdout).toMatch(/^BLEU = \d+\.\d\d/);
  });

  it('help is a word, -- makes it text; bad options, values, files and models get the documented exit codes', () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const latin1 = join(dir, 'latin1.txt');
    writeFileSync(latin1, Buffer.from([0x31, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const [help, literal] = cases([{ argv: ['help'] }, { argv: ['--', 'help', '-x'] }]);
    expect(help?.stdout).toContain('Usage:');
    expect(help?.stdout).toMatch(/Exit codes:[\s\S]*4 model error/);
    expect(lines(literal?.stdout ?? '')).toHaveLength(2);
    const list: ExitCase[] = [
      [['--bogus', '1', 'Hello.'], 2, /Unknown option '--bogus'/],
      [['--bem', '5', 'x'], 2, /Unknown option '--bem'/],
      [['-x'], 2, /Unknown option '-x'.*--/],
      [['--beam', '0', 'x'], 2, /--beam/],
      [['--batch-size', '-3', 'x'], 2, /Expected --batch-size to be an integer from 1 to 4096\. Received: "-3"/],
      [['--format', 'xml', 'x'], 2, /--format/],
      [['eval', '--src', 'a'], 2, /--ref/],
      [['train', '--src', latin1], 2, /--tgt/],
      [['--input', join(dir, 'nope.txt')], 3, /nope\.txt \(no such file\)/],
      [['--input', dir], 3, /\(a directory\)/],
      [['--input', latin1], 3, /invalid UTF-8 on line 2 at byte 4 of the line \(0xe9\)/],
      [['--model', join(dir, 'empty'), 'hello'], 4, /model\.json/],
      [['--model', join(dir, 'missing'), 'hello'], 4, /no such folder/],
      [['train', '--src', latin1, '--tgt', latin1, '--out', join(pkg, 'package.json')], 2, /a file/],
      [['train', '--src', latin1, '--tgt', latin1, '--out', '/proc/nope/m'], 2, /not writable/],
    ];
    const results = cases(list.map(([argv]) => ({ argv })));
    expectExitCases(list, results);
  });

  it('a closed pipe ends quietly with 0; a full disk is one message and exit 1; a 1 MB line is cut with a warning', () => {
    const pipe = runShell(pkg, ENTRY, `yes '1 2 3' | head -3000 | $CLI --model ${model} | head -1; echo "status \${PIPESTATUS[2]}" >&2`);
    expect(lines(pipe.stdout)).toHaveLength(1);
    expect(pipe.stderr.trim()).toBe('status 0');
    const full = runShell(pkg, ENTRY, `$CLI --model ${model} '1 2' > /dev/full`);
    expect(full.code).toBe(1);
    expect(full.stderr.trim()).toBe('rnnkit-translate: could not write the output (ENOSPC: no space left on the device)');
    const t0 = Date.now();
    const [big] = cases([{ argv: [], stdin: `${'1 2 3 4 5. '.repeat(100_000)}\n7 8\n` }]);
    expect(big?.code).toBe(0);
    expect(lines(big?.stdout ?? '')).toHaveLength(2);
    expect(big?.stderr).toMatch(/line 1: too long; only its first part was used \(the limit is 10000 characters\)/);
    expect(Date.now() - t0).toBeLessThan(90000);
  });

  it('reading stdin, prints each translation as soon as its line arrives', async () => {
    const p = interactive(pkg, ENTRY, ['--model', model]);
    expect(await p.send('1 2 3', 1)).toHaveLength(1); // before the second line is written
    expect(await p.send('4 5', 2)).toHaveLength(2);
    expect((await p.end()).code).toBe(0);
  });

  it('train: validates paths first, checkpoints on Ctrl-C, --resume finishes and translate loads the model', async () => {
    const en = Array.from({ length: 60 }, (_, i) => `${i % 7} ${(i * 3) % 5} ${(i * 5) % 9}`);
    writeFileSync(join(dir, 'train.src'), en.join('\n') + '\n');
    writeFileSync(join(dir, 'train.tgt'), en.map((l) => l.split(' ').reverse().join(' ')).join('\n') + '\n');
    const out = join(dir, 'trained');
    const args = ['train', '--src', join(dir, 'train.src'), '--tgt', join(dir, 'train.tgt'), '--out', out, '--epochs', '30', '--hidden', '8', '--merges', '5', '--batch-size', '8', '--checkpoint-every', '4'];
    const p = interactive(pkg, ENTRY, args);
    expect(await p.waitStderr(/epoch 1\/30 +step \d+\/\d+/)).toBe(true);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(130);
    expect(p.stderr()).toMatch(/stopped at step \d+; checkpoint saved to .*trained\.checkpoint.*--resume/);
    expect(existsSync(join(`${out}.checkpoint`, 'state.json'))).toBe(true);
    expect(cli(args).stderr).toMatch(/add --resume/);
    const r = cli([...args, '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/epoch 30\/30: train loss/);
    expect(r.stderr).toMatch(/ETA/);
    expect(existsSync(`${out}.checkpoint`)).toBe(false);
    const [t] = cases([{ argv: ['--model', out, '1 2 3'] }]);
    expect(t?.code).toBe(0);
  });
});

describe('rnnkit-translate properties (fast-check, seeded)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fc = require('fast-check') as typeof import('fast-check');

  it('any argv: exit 0, 2, 3 or 4, never a stack trace', () => {
    const word = fc.constantFrom('translate', 'eval', 'train', 'help', '--help', '-h', '--version', '--', '-x', '--bem', '5', '-3', '0', '1e9', 'NaN', '', '1 2 3',
      '--beam', '--alpha', '--batch-size', '--format', 'xml', 'jsonl', '--model', model, dir, '/nope', '--input', '--skip-empty', '--no-replace-unk',
      '--src', '--ref', '--tgt', '--out', '/proc/nope/m', '--epochs', '--resume', '--attention', '--cell');
    const argv = fc.array(fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), { maxLength: 7 });
    const samples = fc.sample(argv, { seed: 43, numRuns: 60 });
    const results = cases(samples.map((a) => ({ argv: a })));
    results.forEach((r, i) => {
      const ctx = { argv: samples[i], code: r.code, stderr: r.stderr };
      expect([0, 2, 3, 4]).toContain(ctx.code);
      expect(ctx.stderr).not.toMatch(/\n\s+at |HARNESS|TypeError|ReferenceError/);
    });
  });

  it('any stdin: as many output lines as input lines, or an exact UTF-8 error', () => {
    const texts = fc.array(fc.string({ unit: fc.oneof(fc.constantFrom('\u0000', '\u001b', '\r', '\t', '\u202e', '\ud800', '\u0301', '👩‍👩‍👧', '1 2', '. '), fc.string({ unit: 'grapheme', maxLength: 3 })), maxLength: 12 }).map((s) => s.replace(/\n/g, ' ')), { minLength: 1, maxLength: 6 });
    const textSamples = fc.sample(texts, { seed: 9, numRuns: 40 }).map((ls) => Buffer.from(`${ls.join('\n')}\n`, 'utf8'));
    const byteSamples = fc.sample(fc.uint8Array({ maxLength: 60 }), { seed: 10, numRuns: 30 }).map((b) => Buffer.from(b));
    const inputs = [...textSamples, ...byteSamples];
    const results = cases(inputs.map((stdin) => ({ argv: ['--beam', '2'], stdin })));
    results.forEach((r, i) => {
      const input = inputs[i] as Buffer;
      const { rows, badLine } = expectedLines(input);
      const ctx = { input: input.toString('hex'), code: r.code, stderr: r.stderr, lines: lines(r.stdout).length };
      if (badLine >= 0) {
        expect(ctx.code).toBe(3);
        expect(ctx.stderr).toMatch(new RegExp(`invalid UTF-8 on line ${badLine + 1} at byte \\d+`));
      } else if (rows === 0) {
        expect(ctx.code).toBe(3); // no text at all, as rnnkit-sentiment
      } else {
        expect(ctx).toMatchObject({ code: 0, lines: rows });
      }
      expect(ctx.stderr).not.toMatch(/\n\s+at |HARNESS/);
    });
  });
});
