import type { Logger, RunContext } from '@deltav/core';
import { stat } from 'node:fs/promises';
import { appendRecord } from './append-record.js';
import { classifyFileError } from './errors.js';
import type { IntervalSync } from './interval-sync.js';
import type { ResolvedFileOptions } from './options.js';
import { withPathLock } from './path-lock.js';
import { compressRotated, findUnfinishedRotations, needsRotation, pruneRotated, rotateFile } from './rotation.js';

/**
 * The `append` mode: appends records one at a time per path in this process, rotates
 * between records, and compresses and prunes rotated files in the background.
 */
export class Appender {
  readonly #options: ResolvedFileOptions;
  readonly #sync: IntervalSync | undefined;
  readonly #recovered = new Set<string>();
  /** Per path, the tail of its chain of background compress-and-prune work. */
  readonly #background = new Map<string, Promise<void>>();

  constructor(options: ResolvedFileOptions, sync: IntervalSync | undefined) {
    this.#options = options;
    this.#sync = sync;
  }

  /** Appends one record to `path` and returns the rotated file's name when it rotated first. */
  async append(path: string, record: Uint8Array, context: RunContext): Promise<string | undefined> {
    return withPathLock(path, async () => {
      context.signal.throwIfAborted();

      const rotatedPath = await this.#rotateIfDue(path, record.byteLength + this.#options.delimiter.byteLength, context.logger);
      try {
        await appendRecord(path, record, this.#options.delimiter, { fileMode: this.#options.fileMode, sync: this.#options.fsync === 'always' });
      } catch (error) {
        throw classifyFileError(error, path, 'append to');
      }
      this.#sync?.markDirty(path, context.logger);
      return rotatedPath;
    });
  }

  /** Waits for background compression and pruning to finish. */
  async close(): Promise<void> {
    await Promise.all(this.#background.values());
  }

  async #rotateIfDue(path: string, incomingBytes: number, logger: Logger): Promise<string | undefined> {
    const rotation = this.#options.rotation;
    if (rotation === undefined) return undefined;

    if (!this.#recovered.has(path)) {
      this.#recovered.add(path);
      const pending = await findUnfinishedRotations(path, rotation.gzip).catch(() => []);
      for (const rotatedPath of pending) this.#inBackground(path, rotatedPath, logger);
    }

    let current;
    try {
      current = await stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw classifyFileError(error, path, 'inspect');
    }
    // A folder in place of the file is reported by the append itself, never rotated away.
    if (!current.isFile() || !needsRotation(current, incomingBytes, Date.now(), rotation)) return undefined;

    await this.#sync?.flushPath(path);
    let rotatedPath: string;
    try {
      rotatedPath = await rotateFile(path, this.#options.fsync === 'always');
    } catch (error) {
      throw classifyFileError(error, path, 'rotate');
    }
    this.#inBackground(path, rotatedPath, logger);
    return rotatedPath;
  }

  /** Queues compression of `rotatedPath` (with gzip on) and pruning of old files of `path`. */
  #inBackground(path: string, rotatedPath: string, logger: Logger): void {
    const { gzip, keep } = this.#options.rotation!;
    const previous = this.#background.get(path) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (gzip) {
        try {
          await compressRotated(rotatedPath, this.#options.fileMode);
        } catch (error) {
          // The uncompressed file keeps every record; a later start compresses it again.
          logger.error({ err: error, path: rotatedPath }, 'compressing rotated file failed');
        }
      }
      if (keep !== undefined) {
        await pruneRotated(path, keep).catch((error: unknown) => logger.error({ err: error, path }, 'deleting old rotated files failed'));
      }
    });
    this.#background.set(path, next);
    void next.then(() => {
      if (this.#background.get(path) === next) this.#background.delete(path);
    });
  }
}
