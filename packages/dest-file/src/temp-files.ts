import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files are hidden siblings of their target: `.<name>.<pid>-<random>.deltav-tmp`. */
const TEMP_SUFFIX = '.deltav-tmp';
const TEMP_PID = /\.(\d+)-[0-9a-f]+\.deltav-tmp$/;

/** Temp files that a write in this process is using, shared by every copy of this package. */
const inUse: Set<string> = ((globalThis as Record<symbol, unknown>)[Symbol.for('deltav.dest-file.tempFiles')] ??= new Set<string>()) as Set<string>;

/** Picks a temp path next to `target` and marks it in use until `releaseTempPath`. */
export function claimTempPath(target: string): string {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  inUse.add(temp);
  return temp;
}

export function releaseTempPath(temp: string): void {
  inUse.delete(temp);
}

/**
 * Removes temp files in `folder` that a crashed writer left behind: those not in use in
 * this process whose writer process is gone, and those without a process id.
 *
 * NOTE: the process check assumes every writer of the folder shares this machine's
 * process ids. A writer in another container that shares the folder may lose its temp
 * file mid-write. Its write then fails with a retryable error, and the target is untouched.
 */
export async function removeStaleTempFiles(folder: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }

  const stale = names.filter((name) => {
    if (!name.startsWith('.') || !name.endsWith(TEMP_SUFFIX)) return false;
    if (inUse.has(join(folder, name))) return false;
    const pid = TEMP_PID.exec(name)?.[1];
    return pid === undefined || Number(pid) === process.pid || !isProcessAlive(Number(pid));
  });
  await Promise.all(stale.map((name) => rm(join(folder, name), { force: true }).catch(() => {})));
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
