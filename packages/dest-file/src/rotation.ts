import { createReadStream, createWriteStream } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { syncFolder } from './folders.js';
import type { ResolvedRotation } from './options.js';
import { claimTempPath, releaseTempPath } from './temp-files.js';

/** One rotated file: `<file>.<index>` or, compressed, `<file>.<index>.gz`. Higher indexes are newer. */
export interface RotatedFile {
  index: number;
  path: string;
  compressed: boolean;
}

/**
 * Tests whether the file must be rotated before a record of `incomingBytes`. An empty file
 * is never rotated, so a record larger than `maxBytes` goes alone into a fresh file.
 */
export function needsRotation(file: { size: number; mtimeMs: number }, incomingBytes: number, now: number, rotation: ResolvedRotation): boolean {
  if (file.size === 0) return false;
  if (rotation.maxBytes !== undefined && file.size + incomingBytes > rotation.maxBytes) return true;
  if (rotation.intervalMs !== undefined && Math.floor(file.mtimeMs / rotation.intervalMs) !== Math.floor(now / rotation.intervalMs)) return true;
  return false;
}

/** Lists the rotated files of `path`, oldest first. */
export async function listRotated(path: string): Promise<RotatedFile[]> {
  const folder = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }

  const files: RotatedFile[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)(\.gz)?$/.exec(name.slice(prefix.length));
    if (match === null) continue;
    files.push({ index: Number(match[1]), path: join(folder, name), compressed: match[2] !== undefined });
  }
  return files.sort((a, b) => a.index - b.index || Number(a.compressed) - Number(b.compressed));
}

/**
 * Renames `path` to `<path>.<n>`, where n is one more than the highest rotated index,
 * and returns the new name. The rename is atomic, so each record is in exactly one file.
 *
 * NOTE: callers serialize rotation per path within one process only. Two processes
 * rotating the same file at once can pick the same n, and the second rename replaces the
 * first rotated file. The README asks users to let one process rotate.
 */
export async function rotateFile(path: string, sync: boolean): Promise<string> {
  const rotated = await listRotated(path);
  const next = (rotated.at(-1)?.index ?? 0) + 1;
  const target = `${path}.${next}`;
  await rename(path, target);
  if (sync) await syncFolder(dirname(path));
  return target;
}

/**
 * Compresses a rotated file into `<file>.gz` through a temp file, then removes the
 * original. The `.gz` name appears only once it is complete and flushed, so at every
 * instant the records are in the original, or in the complete `.gz`, or briefly in both.
 */
export async function compressRotated(rotatedPath: string, fileMode: number): Promise<void> {
  const target = `${rotatedPath}.gz`;
  const temp = claimTempPath(target);
  try {
    for (;;) {
      const sizeBefore = (await stat(rotatedPath)).size;
      await pipeline(createReadStream(rotatedPath), createGzip(), createWriteStream(temp, { mode: fileMode }));
      // A writer in another process that opened the file just before the rename may still
      // append to it; compress again until the size stays the same.
      if ((await stat(rotatedPath)).size === sizeBefore) break;
    }

    const handle = await open(temp, 'r+');
    try {
      await handle.chmod(fileMode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    await syncFolder(dirname(target));
    await rm(rotatedPath, { force: true });
  } finally {
    await rm(temp, { force: true }).catch(() => {});
    releaseTempPath(temp);
  }
}

/** Deletes the oldest rotated files of `path` so that at most `keep` remain. */
export async function pruneRotated(path: string, keep: number): Promise<void> {
  const indexes = [...new Set((await listRotated(path)).map((file) => file.index))];
  const doomed = new Set(indexes.slice(0, Math.max(0, indexes.length - keep)));
  for (const file of await listRotated(path)) {
    if (doomed.has(file.index)) await rm(file.path, { force: true });
  }
}

/**
 * Finishes rotation work that a crash interrupted: where both `<file>.<n>` and the
 * complete `<file>.<n>.gz` exist the original goes, and with gzip on, originals left
 * uncompressed are compressed. Returns the originals that still need compressing.
 */
export async function findUnfinishedRotations(path: string, gzip: boolean): Promise<string[]> {
  const files = await listRotated(path);
  const compressed = new Set(files.filter((file) => file.compressed).map((file) => file.index));
  const pending: string[] = [];
  for (const file of files) {
    if (file.compressed) continue;
    if (compressed.has(file.index)) {
      await rm(file.path, { force: true });
    } else if (gzip) {
      pending.push(file.path);
    }
  }
  return pending;
}
