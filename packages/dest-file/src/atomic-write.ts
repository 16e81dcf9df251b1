import { DeltavError } from '@deltav/core';
import { access, link, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { classifyFileError, FileErrorCodes } from './errors.js';
import { syncFolder } from './folders.js';
import { claimTempPath, releaseTempPath } from './temp-files.js';
import { writeAll, writeStream } from './write-all.js';

export interface AtomicWriteOptions {
  fileMode: number;
  /** Flush the temp file before the rename and the folder after it. */
  sync: boolean;
  /** Never replace an existing file; pick `<stem>-1<ext>`, `<stem>-2<ext>`, ... instead. */
  noClobber: boolean;
}

/** How many numbered alternatives `noClobber` tries before it gives up. */
const MAX_ALTERNATIVES = 1000;

/** A whole body, or a stream of chunks that is written as it arrives. */
export type WriteBody = Uint8Array | AsyncIterable<Uint8Array>;

/**
 * Writes `body` to `target` so that readers see the old file (or none), or the new
 * complete file, never a part. The steps: write a temp file in the same folder, flush it,
 * rename it into place (hard-link with `noClobber`), then flush the folder. On any failure
 * the temp file is removed and the target is left as it was. Returns the path written.
 */
export async function writeFileAtomically(
  target: string,
  body: WriteBody,
  options: AtomicWriteOptions,
  signal: AbortSignal,
): Promise<{ path: string; bytes: number }> {
  const temp = claimTempPath(target);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', options.fileMode);
    // open() applies the umask, so set the requested bits exactly.
    await handle.chmod(options.fileMode);
    let size = 0;
    if (body instanceof Uint8Array) {
      await writeAll(handle, body, signal);
      size = body.byteLength;
    } else {
      size = await writeStream(handle, body, signal);
    }
    if (options.sync) await handle.sync();
    await handle.close();
    handle = undefined;
    signal.throwIfAborted();

    const written = options.noClobber ? await linkUnique(temp, target) : (await rename(temp, target), target);
    if (options.sync) await syncFolder(dirname(target));
    return { path: written, bytes: size };
  } catch (error) {
    await handle?.close().catch(() => {});
    if (signal.aborted && error === signal.reason) throw error;
    throw classifyFileError(error, target, 'write');
  } finally {
    await rm(temp, { force: true }).catch(() => {});
    releaseTempPath(temp);
  }
}

/** Hard-links `temp` to the first free name among `target`, `<stem>-1<ext>`, ...; link never replaces. */
async function linkUnique(temp: string, target: string): Promise<string> {
  for (let attempt = 0; attempt <= MAX_ALTERNATIVES; attempt++) {
    const candidate = attempt === 0 ? target : numbered(target, attempt);
    try {
      await link(temp, candidate);
      return candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      // NOTE: this filesystem has no hard links, so the free-name check and the rename are
      // two steps, and a writer in another process could take the name in between.
      if (await exists(candidate)) continue;
      await rename(temp, candidate);
      return candidate;
    }
  }
  throw new DeltavError(
    FileErrorCodes.NAME_TAKEN,
    `Failed to write ${target}: it and ${MAX_ALTERNATIVES} numbered alternatives already exist. Fix: add {runId} or finer time fields such as %S to the path template.`,
  );
}

function numbered(target: string, n: number): string {
  const extension = extname(target);
  const stem = basename(target, extension);
  return join(dirname(target), `${stem}-${n}${extension}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
