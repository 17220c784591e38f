// The README's Quick start and Attention blocks run as written, one after the other in one ES module (the
// attention block uses the quick start's `translator`), in a child process with tsx: package imports are
// mapped to the sources and `import.meta.resolve('@rnnkit/seq2seq/package.json')` to this package.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SOURCE_CONDITION, TSX } from '../../core/test/util/cliProcess';

const pkg = resolve(__dirname, '..');
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');

/** The first ```ts block after `heading`. */
function block(heading: string): string {
  const at = readme.indexOf(`\n${heading}\n`);
  const m = at < 0 ? null : /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!m?.[1]) throw new Error(`README.md has no \`\`\`ts block under ${heading}`);
  return m[1];
}

function run(code: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rnnkit-seq2seq-readme-'));
  try {
    const file = join(dir, 'readme.mts');
    const mapped = code
      .replaceAll("'@rnnkit/seq2seq/package.json'", JSON.stringify(pathToFileURL(join(pkg, 'package.json')).href))
      .replaceAll("'@rnnkit/seq2seq'", JSON.stringify(join(pkg, 'src/index.ts')))
      .replaceAll("'@rnnkit/core'", JSON.stringify(resolve(pkg, '../core/src/index.ts')));
    writeFileSync(file, mapped);
    return execFileSync(TSX, [SOURCE_CONDITION, file], { cwd: pkg, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const quickStart = block('## Quick start');
const attention = block('## Attention');
const shipped = existsSync(join(pkg, 'model', 'model.json'));

describe('README', () => {
  it('has a quick start of at most 10 lines that loads the shipped model', () => {
    expect(quickStart.trimEnd().split('\n').length).toBeLessThanOrEqual(10);
    expect(quickStart).toContain('Translator.load(');
    expect(quickStart).toContain('console.log(');
  });

  (shipped ? it : it.skip)('quick start and attention example run: a French translation, then its attention matrix', () => {
    const out = run(`${quickStart}\n${attention}`).trimEnd().split('\n');
    const french = out[0] ?? '';
    expect(french.length).toBeGreaterThan(0);
    expect(french).not.toBe('I am hungry.');
    expect(french).toMatch(/faim/i);
    // the matrix: a header of source units, then one row per output unit with one weight per source unit
    const header = (out[1] ?? '').split('\t');
    const rows = out.slice(2).map((l) => l.split('\t'));
    expect(header[0]).toBe('');
    expect(header.length).toBeGreaterThan(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r).toHaveLength(header.length);
      const weights = r.slice(1).map(Number);
      expect(weights.every((w) => w >= 0 && w <= 1)).toBe(true);
      expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(0.005 * weights.length + 1e-9); // 2 decimals each
    }
  }, 60_000);
});
