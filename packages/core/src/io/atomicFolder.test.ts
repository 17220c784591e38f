// The shared atomic folder writer: a new folder, replacing an existing one (exactly the new files),
// merging into one (other files kept, obsolete ones deleted), and failures at each step leaving the old
// folder intact and no temp folders behind.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFolderAtomic } from './atomicFolder';
import { nodeModules } from '../platform/node';
import { isRnnkitError } from '../errors';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rnnkit-atomic-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const contents = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
const leftovers = (): string[] => readdirSync(root).filter((f) => f.includes('.tmp-') || f.includes('.old-'));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => null, (e: unknown) => e);
  if (!isRnnkitError(err)) throw new Error(`expected an RnnkitError, got ${String(err)}`);
  return err.code;
}

it('writes a new folder (and its missing parents)', async () => {
  const dir = join(root, 'a', 'b', 'model');
  await writeFolderAtomic(dir, { 'model.json': '{}', 'w.bin': new Uint8Array([104, 105]) });
  expect(contents(dir)).toEqual({ 'model.json': '{}', 'w.bin': 'hi' });
  expect(leftovers()).toEqual([]);
});

it('replaces an existing folder by exactly the new files', async () => {
  const dir = join(root, 'model');
  await writeFolderAtomic(dir, { 'model.json': 'old', 'old.bin': 'x' });
  await writeFolderAtomic(dir, { 'model.json': 'new', 'new.bin': 'y' });
  expect(contents(dir)).toEqual({ 'model.json': 'new', 'new.bin': 'y' });
  expect(leftovers()).toEqual([]);
});

it('a failure midway leaves the old folder intact and no temp folders behind', async () => {
  const dir = join(root, 'model');
  await writeFolderAtomic(dir, { 'model.json': 'old', 'w.bin': 'x' });
  // the second file cannot be written: the first is already in the temp folder
  const bad = { 'model.json': 'new', 'w.bin': 42 as unknown as string };
  expect(await codeOf(writeFolderAtomic(dir, bad))).toBe('IO_ERROR');
  expect(contents(dir)).toEqual({ 'model.json': 'old', 'w.bin': 'x' });
  expect(leftovers()).toEqual([]);
});

it('renames the old folder back when the new one cannot be renamed in', async () => {
  const dir = join(root, 'model');
  await writeFolderAtomic(dir, { 'model.json': 'old' });
  const modules = await nodeModules();
  const real = modules.fsp;
  let renames = 0;
  modules.fsp = {
    ...real,
    rename: async (from: string, to: string) => {
      renames += 1;
      if (renames === 2) throw Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' });
      return real.rename(from, to);
    },
  } as typeof real;
  try {
    expect(await codeOf(writeFolderAtomic(dir, { 'model.json': 'new' }))).toBe('IO_ERROR');
  } finally {
    modules.fsp = real;
  }
  expect(renames).toBeGreaterThanOrEqual(2);
  expect(contents(dir)).toEqual({ 'model.json': 'old' });
  expect(leftovers()).toEqual([]);
});

it('checkExisting can refuse to replace a folder; nothing is written then', async () => {
  const dir = join(root, 'mine');
  mkdirSync(dir);
  writeFileSync(join(dir, 'notes.txt'), 'keep');
  const refuse = (names: string[]) => {
    if (names.includes('notes.txt')) throw Object.assign(new Error('no'), { name: 'RnnkitError', code: 'INVALID_ARGUMENT' });
  };
  expect(await codeOf(writeFolderAtomic(dir, { 'model.json': 'new' }, { checkExisting: refuse }))).toBe('INVALID_ARGUMENT');
  expect(contents(dir)).toEqual({ 'notes.txt': 'keep' });
  expect(leftovers()).toEqual([]);
});

it('merge keeps the folder\'s other files and deletes the obsolete ones', async () => {
  const dir = join(root, 'model');
  await writeFolderAtomic(dir, { 'model.json': 'old', 'w1.bin': 'x', 'notes.txt': 'keep' });
  await writeFolderAtomic(dir, { 'w2.bin': 'y', 'model.json': 'new' }, { mode: 'merge', obsolete: ['w1.bin', 'w2.bin'] });
  expect(contents(dir)).toEqual({ 'model.json': 'new', 'notes.txt': 'keep', 'w2.bin': 'y' });
  expect(leftovers()).toEqual([]);
});

it('refuses file names with separators, and a file where the folder should be', async () => {
  expect(await codeOf(writeFolderAtomic(join(root, 'm'), { '../escape': 'x' }))).toBe('INVALID_ARGUMENT');
  writeFileSync(join(root, 'file'), 'x');
  expect(await codeOf(writeFolderAtomic(join(root, 'file'), { 'model.json': '{}' }))).toBe('IO_ERROR');
  expect(readFileSync(join(root, 'file'), 'utf8')).toBe('x');
  expect(readdirSync(root).sort()).toEqual(['file']);
});
