import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { classifyFileError } from './errors.js';

/** Temp files are hidden siblings of the target: `.<name>.<random>.deltav-tmp`. */
const TEMP_SUFFIX = '.deltav-tmp';

export function tempPrefix(target: string): string {
  return `.${basename(target)}.`;
}

/**
 * Replaces `target` with `bytes` so that readers see either the old or the new complete
 * file: write a temp file in the same folder, flush it, rename it over the target, then
 * flush the folder so the rename itself survives a power loss.
 */
export async function replaceFile(
  target: string,
  bytes: Uint8Array,
  modes: { fileMode: number; dirMode: number },
  signal: AbortSignal,
): Promise<void> {
  const folder = dirname(target);
  try {
    await mkdir(folder, { recursive: true, mode: modes.dirMode });
  } catch (error) {
    throw classifyFileError(error, folder, 'create folder');
  }

  const temp = join(folder, `${tempPrefix(target)}${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx', modes.fileMode);
    // writeFile on a handle loops until every byte is written, so a short write cannot pass as success.
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    signal.throwIfAborted();
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    if (signal.aborted && error === signal.reason) throw error;
    throw classifyFileError(error, target, 'write');
  }

  await syncFolder(folder);
}

/** Removes temp files that a crashed writer of `target` left behind. */
export async function removeStaleTempFiles(target: string): Promise<void> {
  const folder = dirname(target);
  const prefix = tempPrefix(target);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  await Promise.all(
    names.filter((name) => name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX)).map((name) => rm(join(folder, name), { force: true }).catch(() => {})),
  );
}

async function syncFolder(folder: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Some filesystems cannot fsync a folder (EINVAL, EISDIR); the rename is done either way.
  } finally {
    await handle?.close().catch(() => {});
  }
}
