import { DeltavError } from '@deltav/core';
import { chmod, mkdir, open } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { classifyFileError, FileErrorCodes } from './errors.js';

/** Creates `folder` and its missing parents with exactly `mode`, ignoring the umask. */
export async function ensureFolder(folder: string, mode: number): Promise<void> {
  let firstCreated: string | undefined;
  try {
    firstCreated = await mkdir(folder, { recursive: true, mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new DeltavError(
        FileErrorCodes.NOT_DIRECTORY,
        `Failed to create folder ${folder}: a part of the path is a file, not a folder. Fix: remove that file or change the path.`,
        { cause: error },
      );
    }
    throw classifyFileError(error, folder, 'create folder');
  }
  if (firstCreated === undefined) return;

  // mkdir applies the umask, so set the requested bits on each folder it created.
  let current = firstCreated;
  const rest = relative(firstCreated, folder).split(sep).filter((part) => part !== '');
  try {
    await chmod(current, mode);
    for (const part of rest) {
      current = join(current, part);
      await chmod(current, mode);
    }
  } catch (error) {
    throw classifyFileError(error, current, 'set the permissions of folder');
  }
}

/**
 * Flushes a folder's entries to disk so that a rename or a new file inside it survives a
 * power loss. Filesystems that cannot flush a folder (EINVAL, EISDIR) are skipped, because
 * the rename has happened either way.
 */
export async function syncFolder(folder: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // See above: nothing more can be done for this folder.
  } finally {
    await handle?.close().catch(() => {});
  }
}
