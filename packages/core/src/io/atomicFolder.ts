// The one atomic folder writer of rnnkit, used by every saver (core's file-system handler, sentiment's
// and seq2seq's model folders, the CLIs' checkpoints): the new contents are written complete and
// flushed in a temp folder beside the target (same file system, so renames are atomic), then published
// by renames; a failure at any step leaves the previous folder as it was and no temp folder behind.
// Node built-ins come through the platform module, so the browser build has no `node:` import and
// rejects with UNSUPPORTED.
import { RnnkitError, isRnnkitError } from '../errors';
import { nodeModules } from '../platform/node';
import type { NodeModules } from '../platform/types';

type Fsp = NodeModules['fsp'];

/** The files of a folder: plain names (no separators) to contents. */
export type FolderFiles = Record<string, string | Uint8Array>;

/** Options of {@link writeFolderAtomic}. */
export interface WriteFolderOptions {
  /**
   * 'replace' (default): the folder ends up holding exactly `files`; an existing one is swapped out as a
   * whole. 'merge': other files of an existing folder are kept (a tfjs IOHandler writes into a folder the
   * user owns) and each of `files` is renamed in, atomically per file, in insertion order: put the file
   * readers start from (model.json) last, so it only ever names files already in place.
   */
  mode?: 'replace' | 'merge';
  /** Called with the names in an existing folder before it is touched; throw to refuse replacing it. */
  checkExisting?: (names: string[]) => void;
  /** 'merge' only: names to delete once the new files are in (e.g. weight files the old model.json listed). */
  obsolete?: readonly string[];
}

function uniqueSuffix(): string {
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  return `${pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected plain file names in the folder. Received: ${JSON.stringify(name)}`);
  }
}

/** Writes a file and flushes it to disk before returning. */
async function writeSynced(fs: Fsp, file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (renames) to disk; a no-op where the platform cannot. */
async function syncDir(fs: Fsp, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open folders for fsync; the renames are still atomic.
  }
}

/** The names in `dir` when it is a folder; null when nothing is there; IO_ERROR for anything else. */
async function existingNames(fs: Fsp, dir: string): Promise<string[] | null> {
  const stat = await fs.stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (stat === null) return null;
  if (!stat.isDirectory()) throw new RnnkitError('IO_ERROR', `Expected a folder (or nothing) at ${dir}. Received: a file`);
  return fs.readdir(dir);
}

/**
 * Writes `files` into the folder `dir` atomically (Node; UNSUPPORTED in the browser build). The files go
 * into a temp folder beside `dir`, each flushed, then: a new `dir` is published by one rename; an
 * existing one is moved aside and the new one renamed in straight after (mode 'replace': readers never
 * see a mix of old and new files, and if the second rename fails the old folder is renamed back), or the
 * files are renamed in one by one (mode 'merge': the folder never goes missing). Errors are IO_ERROR
 * (INVALID_ARGUMENT for a bad file name; whatever `checkExisting` throws), after the temp folder is removed.
 */
export async function writeFolderAtomic(dir: string, files: FolderFiles, options: WriteFolderOptions = {}): Promise<void> {
  const names = Object.keys(files);
  names.forEach(checkName);
  for (const name of options.obsolete ?? []) checkName(name);
  const { fsp: fs, path } = await nodeModules();
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const stamp = uniqueSuffix();
  const tmp = path.join(parent, `.${path.basename(target)}.tmp-${stamp}`);
  const aside = path.join(parent, `.${path.basename(target)}.old-${stamp}`);
  let movedAside = false;
  try {
    const existing = await existingNames(fs, target);
    if (existing !== null) options.checkExisting?.(existing);
    // 1. The complete new contents in a temp folder beside the target.
    await fs.mkdir(parent, { recursive: true });
    await fs.mkdir(tmp);
    for (const name of names) await writeSynced(fs, path.join(tmp, name), files[name] as string | Uint8Array);
    await syncDir(fs, tmp);
    if (existing === null) {
      // 2a. New target: one rename publishes the whole folder.
      await fs.rename(tmp, target);
      await syncDir(fs, parent);
    } else if (options.mode === 'merge') {
      // 2b. Merge: each file replaced atomically, each rename on disk before the next.
      for (const name of names) {
        await fs.rename(path.join(tmp, name), path.join(target, name));
        await syncDir(fs, target);
      }
      for (const name of options.obsolete ?? []) if (!names.includes(name)) await fs.rm(path.join(target, name), { force: true });
      await fs.rm(tmp, { recursive: true, force: true });
    } else {
      // 2c. Replace: the old folder aside, the new one in, then the old one deleted.
      await fs.rename(target, aside);
      movedAside = true;
      await fs.rename(tmp, target);
      movedAside = false;
      await syncDir(fs, parent);
      // The new folder is published: a leftover of the old one is not worth failing the write for.
      await fs.rm(aside, { recursive: true, force: true }).catch(() => undefined);
    }
  } catch (cause) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (movedAside) await fs.rename(aside, target).catch(() => undefined);
    if (isRnnkitError(cause)) throw cause;
    throw new RnnkitError('IO_ERROR', `Expected to write the folder ${target}. Received: ${(cause as Error).message}`, { cause });
  }
}
