import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyTranslator } from './tinyModel';

// rnnkit-translate in a child process (through tsx, on the sources), with a tiny model saved by the test.
const pkg = join(__dirname, '..');
const tsx = join(pkg, '../../node_modules/.bin/tsx');
let dir: string;
let model: string;

function cli(args: string[], input?: string | Buffer) {
  const r = spawnSync(tsx, ['src/cli.ts', ...args], { cwd: pkg, input, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rnnkit-cli-'));
  model = join(dir, 'model');
  const t = await tinyTranslator();
  await t.save(model);
  t.model.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rnnkit-translate', () => {
  it('--help and --version exit 0', () => {
    const h = cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('Usage:');
    const v = cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('translates arguments, one line each (greedy and beam)', () => {
    const r = cli(['--model', model, '1 2 3', '4 5']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, -1)).toHaveLength(2); // a barely trained model may print empty lines
    const b = cli(['--model', model, '--beam', '3', '1 2 3']);
    expect(b.code).toBe(0);
    expect(b.out.split('\n').slice(0, -1)).toHaveLength(1);
  });

  it('translates stdin as jsonl with scores and one attention row per output token', () => {
    const r = cli(['--model', model, '--format', 'jsonl'], '1 2 3\n\n7 8\n');
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { src: string; tokens: string[]; srcTokens: string[]; attention: number[][]; score: number });
    expect(rows.map((x) => x.src)).toEqual(['1 2 3', '', '7 8']);
    for (const x of rows) {
      expect(typeof x.score).toBe('number');
      expect(x.attention).toHaveLength(x.tokens.length);
      for (const a of x.attention) expect(a).toHaveLength(x.srcTokens.length);
    }
  });

  it('eval prints BLEU for --src / --ref files', () => {
    writeFileSync(join(dir, 'src.txt'), '1 2 3\n4 5 6\n');
    writeFileSync(join(dir, 'ref.txt'), '3 2 1\n6 5 4\n');
    const r = cli(['eval', '--model', model, '--src', join(dir, 'src.txt'), '--ref', join(dir, 'ref.txt')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^BLEU = \d+\.\d\d/);
  });

  it('train writes a model folder that translate then loads', () => {
    const en = Array.from({ length: 40 }, (_, i) => `${i % 7} ${(i * 3) % 5} ${(i * 5) % 9}`);
    writeFileSync(join(dir, 'train.src'), en.join('\n') + '\n');
    writeFileSync(join(dir, 'train.tgt'), en.map((l) => l.split(' ').reverse().join(' ')).join('\n') + '\n');
    const out = join(dir, 'trained');
    const r = cli(['train', '--src', join(dir, 'train.src'), '--tgt', join(dir, 'train.tgt'), '--out', out, '--epochs', '1', '--hidden', '8', '--merges', '5']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('epoch 1');
    const t = cli(['--model', out, '1 2 3']);
    expect(t.code).toBe(0);
  });

  it('fails with exit 1 and IO_ERROR for a missing --input file', () => {
    const r = cli(['--model', model, '--input', join(dir, 'nope.txt')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('IO_ERROR');
  });

  it('fails with exit 1 and PARSE_ERROR for input that is not UTF-8', () => {
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x31, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const r = cli(['--model', model, '--input', join(dir, 'latin1.txt')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('PARSE_ERROR');
    expect(r.err).toContain('line 2');
  });

  it('fails with exit 1 and INVALID_MODEL for a folder that is not a model', () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const r = cli(['--model', join(dir, 'empty'), 'hello']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('INVALID_MODEL');
  });

  it('fails with exit 2 for a bad option value', () => {
    const r = cli(['--model', model, '--beam', '0', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--beam');
  });
});
