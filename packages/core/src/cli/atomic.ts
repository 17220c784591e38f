// A folder written atomically for the CLIs' checkpoints: files into a temp folder beside the target,
// fsync, then renames, so a crash or Ctrl-C mid-write leaves the previous checkpoint intact.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { RnnkitError } from '@rnnkit/core';

/** Replaces folder `dir` by one holding exactly `files`; the old folder stays until the new one is complete. */
export async function writeFolderAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const target = resolve(dir);
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${stamp}`);
  const old = join(dirname(target), `.${basename(target)}.old-${stamp}`);
  try {
    await mkdir(dirname(target), { recursive: true });
    await mkdir(tmp);
    for (const [name, data] of Object.entries(files)) {
      const fh = await open(join(tmp, name), 'w');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    const hadOld = await rename(target, old).then(() => true, () => false);
    await rename(tmp, target);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (cause) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw new RnnkitError('IO_ERROR', `Could not write the folder ${dir}: ${(cause as Error).message}`, { cause });
  }
}
