import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkModelFolder, checkOutputFolder, type OutputFolderCheck } from './paths';
import { CliError, EXIT } from './exitCodes';

const check: OutputFolderCheck = { option: 'out', kind: 'a model folder', isOurs: (_d, entries) => entries.includes('model.json') };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rnnkit-paths-'));
  writeFileSync(join(dir, 'file.txt'), 'x');
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'other', 'notes.txt'), 'x');
  mkdirSync(join(dir, 'model'));
  writeFileSync(join(dir, 'model', 'model.json'), '{}');
  mkdirSync(join(dir, 'empty'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown>): Promise<number | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return e instanceof CliError ? e.exitCode : -1;
  }
}

describe('checkOutputFolder', () => {
  it('accepts a new (nested) folder, an empty one and one of ours, creating nothing', async () => {
    await checkOutputFolder(join(dir, 'new', 'deeper', 'm'), check);
    await checkOutputFolder(join(dir, 'empty'), check);
    await checkOutputFolder(join(dir, 'model'), check);
  });

  it('refuses a file, a foreign non-empty folder, a path under a file and an unwritable place, fast', async () => {
    expect(await codeOf(checkOutputFolder(join(dir, 'file.txt'), check))).toBe(EXIT.USAGE);
    expect(await codeOf(checkOutputFolder(join(dir, 'other'), check))).toBe(EXIT.USAGE);
    expect(await codeOf(checkOutputFolder(join(dir, 'file.txt', 'm'), check))).toBe(EXIT.USAGE);
    const t0 = Date.now();
    expect(await codeOf(checkOutputFolder('/proc/nope/m', check))).toBe(EXIT.USAGE);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('checkModelFolder', () => {
  it('is a model error (exit 4) for a missing folder, a file or a folder without the marker', async () => {
    expect(await codeOf(checkModelFolder(join(dir, 'missing'), 'model.json'))).toBe(EXIT.MODEL);
    expect(await codeOf(checkModelFolder(join(dir, 'file.txt'), 'model.json'))).toBe(EXIT.MODEL);
    expect(await codeOf(checkModelFolder(join(dir, 'empty'), 'model.json'))).toBe(EXIT.MODEL);
    expect(await codeOf(checkModelFolder(join(dir, 'model'), 'model.json'))).toBeNull();
  });
});
