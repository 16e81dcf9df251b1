import { constants, type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncFolder } from './folders.js';

export interface AppendOptions {
  fileMode: number;
  /** Flush the file, and the folder when the file is new, to disk before returning. */
  sync: boolean;
}

const CREATE_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL;
const EXISTING_FLAGS = constants.O_WRONLY | constants.O_APPEND;

/**
 * Appends `record` followed by `delimiter` to `path` with one `writev` call on a file
 * opened with O_APPEND. On Linux a local filesystem applies such a call whole under the
 * file's lock, so records of other processes appending to the same file never interleave
 * with it. A short write is continued until the record is complete. If the record cannot
 * be completed (a full disk), the part already written is truncated away when no other
 * writer has appended since, so the file still ends on a record boundary.
 *
 * NOTE: after a short write in one process, another process's record can land between the
 * two parts. Local filesystems cut a write short only when the disk or a size limit is
 * reached, or when a fatal signal kills the writer mid-write.
 */
export async function appendRecord(path: string, record: Uint8Array, delimiter: Uint8Array, options: AppendOptions): Promise<void> {
  const { handle, created } = await openForAppend(path, options.fileMode);
  try {
    const sizeBefore = (await handle.stat()).size;
    let written = 0;
    try {
      written = await writeRecord(handle, record, delimiter);
    } catch (error) {
      written = (error as { bytesWritten?: number }).bytesWritten ?? 0;
      if (written > 0) await truncateOwnPart(handle, sizeBefore, written);
      throw error;
    }
    if (options.sync) await handle.sync();
  } finally {
    await handle.close().catch(() => {});
  }
  if (options.sync && created) await syncFolder(dirname(path));
}

/** Opens `path` for appending, creating it with exactly `fileMode` when it does not exist. */
async function openForAppend(path: string, fileMode: number): Promise<{ handle: FileHandle; created: boolean }> {
  for (;;) {
    try {
      const handle = await open(path, CREATE_FLAGS, fileMode);
      await handle.chmod(fileMode).catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
      return { handle, created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      return { handle: await open(path, EXISTING_FLAGS), created: false };
    } catch (error) {
      // Another writer rotated the file away between the two opens: create it again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** Writes record and delimiter completely; a failure carries `bytesWritten` for the part that landed. */
async function writeRecord(handle: FileHandle, record: Uint8Array, delimiter: Uint8Array): Promise<number> {
  const total = record.byteLength + delimiter.byteLength;
  let written = 0;
  while (written < total) {
    const rest =
      written < record.byteLength ? [record.subarray(written), delimiter] : [delimiter.subarray(written - record.byteLength)];
    let bytesWritten: number;
    try {
      ({ bytesWritten } = await handle.writev(rest));
    } catch (error) {
      throw Object.assign(error as Error, { bytesWritten: written });
    }
    if (bytesWritten <= 0) {
      throw Object.assign(new Error(`the filesystem accepted 0 of ${total - written} remaining bytes`), { code: 'EIO', bytesWritten: written });
    }
    written += bytesWritten;
  }
  return written;
}

async function truncateOwnPart(handle: FileHandle, sizeBefore: number, written: number): Promise<void> {
  try {
    const size = (await handle.stat()).size;
    if (size === sizeBefore + written) await handle.truncate(sizeBefore);
  } catch {
    // The write error is what the caller needs to see; a failed cleanup leaves a torn tail.
  }
}
