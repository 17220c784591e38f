// The README's Usage blocks run as written (package imports mapped to the sources, the shipped model's
// path to this package's model/ folder), in a child process with tsx.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SOURCE_CONDITION, TSX } from '../../core/test/util/cliProcess';

const pkg = resolve(__dirname, '..');
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
const usage = readme.slice(readme.indexOf('## Usage'), readme.indexOf('## API'));
const blocks = [...usage.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const shipped = existsSync(join(pkg, 'model', 'sentiment.json'));

function run(code: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rnnkit-readme-'));
  try {
    const file = join(dir, 'usage.mts');
    const mapped = code
      .replaceAll("'@rnnkit/sentiment'", JSON.stringify(join(pkg, 'src/index.ts')))
      .replaceAll("'@rnnkit/core'", JSON.stringify(resolve(pkg, '../core/src/index.ts')))
      .replaceAll("'node_modules/@rnnkit/sentiment/model'", JSON.stringify(join(pkg, 'model')))
      .replaceAll("'@rnnkit/text'", JSON.stringify(resolve(pkg, '../text/src/index.ts')));
    writeFileSync(file, mapped);
    return execFileSync(TSX, [SOURCE_CONDITION, file], { cwd: pkg, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('README usage', () => {
  it('has two ts blocks', () => {
    expect(blocks).toHaveLength(2);
  });

  (shipped ? it : it.skip)('block 1 (the shipped model) runs and reads the sentences right', () => {
    const out = run(blocks[0] as string);
    expect(out).toMatch(/^positive 0\.\d{3}/m);
    expect(out).toContain("[ 'negative', 'positive' ]");
  });

  it('block 2 (train your own) runs', () => {
    const out = run(blocks[1] as string);
    expect(out).toMatch(/^\d+ pos 1\s*$/m);
  });
});
