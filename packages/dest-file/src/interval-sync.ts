import type { Logger } from '@deltav/core';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncFolder } from './folders.js';

/**
 * The `interval` fsync policy: remembers which files were written since the last flush
 * and flushes them, with their folders, on a timer and on demand.
 */
export class IntervalSync {
  readonly #intervalMs: number;
  readonly #dirty = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #logger: Logger;

  constructor(intervalMs: number, logger: Logger) {
    this.#intervalMs = intervalMs;
    this.#logger = logger;
  }

  /** Records a write to `path` and arms the timer, which does not keep the process alive. */
  markDirty(path: string, logger: Logger): void {
    this.#logger = logger;
    this.#dirty.add(path);
    if (this.#timer !== undefined) return;

    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Flushes `path` now if it has unflushed writes, such as before it is rotated away. */
  async flushPath(path: string): Promise<void> {
    if (!this.#dirty.delete(path)) return;
    await this.#syncFile(path);
  }

  /** Flushes every file written since the last flush. Failures are logged, never thrown. */
  async flush(): Promise<void> {
    const paths = [...this.#dirty];
    this.#dirty.clear();
    await Promise.all(paths.map((path) => this.#syncFile(path)));
  }

  /** Stops the timer and flushes what is left. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  async #syncFile(path: string): Promise<void> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(path, 'r');
      await handle.sync();
    } catch (error) {
      // A file renamed or removed since its write has nothing left here to flush.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#logger.warn({ err: error, path }, 'fsync of written file failed');
    } finally {
      await handle?.close().catch(() => {});
    }
    await syncFolder(dirname(path));
  }
}
