// Output folders checked before any work starts: the target is a new folder, an empty one or one of
// our own (a model folder), and its nearest existing ancestor accepts a file (a probe file is written
// and removed). Walking up to an existing ancestor instead of calling recursive mkdir keeps paths such
// as /proc/nope/m from hanging.
import { randomBytes } from 'node:crypto';
import { readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError, EXIT } from './exitCodes';

async function statOrNull(path: string): Promise<{ isDirectory(): boolean } | null> {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null; // missing, or under a file (found by walking up)
    throw err;
  }
}

/** Writes and removes a probe file in `dir`; throws a CliError naming the reason when it cannot. */
export async function probeWritable(dir: string, option: string, path: string): Promise<void> {
  const probe = join(dir, `.rnnkit-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, '', { flag: 'wx' });
  } catch (cause) {
    throw new CliError(EXIT.USAGE, `Expected --${option} to be a writable location. Received: ${path} (${dir} is not writable: ${(cause as { code?: string }).code ?? (cause as Error).message})`, { cause });
  }
  await unlink(probe).catch(() => undefined);
}

export interface OutputFolderCheck {
  /** The option's name, for messages (e.g. `out`). */
  option: string;
  /** What an acceptable existing non-empty folder is (e.g. `a sentiment model folder`). */
  kind: string;
  /** True when an existing non-empty folder may be replaced (it is one of ours). */
  isOurs(dir: string, entries: readonly string[]): boolean | Promise<boolean>;
}

/**
 * Checks that `path` can become the output folder: refuses a file, a non-empty folder that is not
 * `check.isOurs`, a missing or non-folder ancestor and an unwritable location (exit 2), without
 * creating anything.
 */
export async function checkOutputFolder(path: string, check: OutputFolderCheck): Promise<void> {
  const target = resolve(path);
  const refuse = (why: string) => new CliError(EXIT.USAGE, `Expected --${check.option} to be a new folder, an empty folder or ${check.kind}. Received: ${path} (${why})`);
  const st = await statOrNull(target);
  if (st && !st.isDirectory()) throw refuse('a file');
  if (st) {
    const entries = await readdir(target);
    if (entries.length > 0 && !(await check.isOurs(target, entries))) throw refuse('a non-empty folder that is not one');
    await probeWritable(target, check.option, path);
    return;
  }
  let ancestor = dirname(target);
  for (;;) {
    const a = await statOrNull(ancestor);
    if (a && !a.isDirectory()) throw refuse(`${ancestor} is a file`);
    if (a) break;
    const up = dirname(ancestor);
    if (up === ancestor) throw refuse('no existing parent folder');
    ancestor = up;
  }
  await probeWritable(ancestor, check.option, path);
}

/**
 * Checks a `--model` folder before anything is loaded: missing, a file or unreadable is a model error
 * (exit 4). `marker` is the file every model folder of this kind holds.
 */
export async function checkModelFolder(path: string, marker: string): Promise<void> {
  const st = await statOrNull(path).catch(() => null);
  if (!st) throw new CliError(EXIT.MODEL, `Expected --model to be a model folder. Received: ${path} (no such folder)`);
  if (!st.isDirectory()) throw new CliError(EXIT.MODEL, `Expected --model to be a model folder. Received: ${path} (a file)`);
  if (!(await statOrNull(join(path, marker)).catch(() => null))) throw new CliError(EXIT.MODEL, `Expected --model to be a model folder with ${marker}. Received: ${path} (no ${marker})`);
}
