import { DeltavError, silentLogger, type Destination, type Payload, type RunContext } from '@deltav/core';
import { dirname } from 'node:path';
import { Appender } from './appender.js';
import { writeFileAtomically } from './atomic-write.js';
import { assertInsideBase, assertRealPathInsideBase } from './base-folder.js';
import { FileErrorCodes } from './errors.js';
import { ensureFolder } from './folders.js';
import { IntervalSync } from './interval-sync.js';
import { resolveOptions, type FileDestinationOptions, type FileWriteMode, type ResolvedFileOptions } from './options.js';
import { PathTemplate } from './path-template.js';
import { removeStaleTempFiles } from './temp-files.js';

/** Reads the errno code of a filesystem error, or of the error it wraps. */
function errnoOf(error: unknown): string | undefined {
  const own = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof cause === 'string') return cause;
  return typeof own === 'string' ? own : undefined;
}

/** How many folders a destination remembers as existing. */
const MAX_KNOWN_FOLDERS = 1024;

/**
 * A destination that writes each payload to a file: replacing it atomically (`overwrite`),
 * appending it as a record (`append`) or creating a new file per run (`unique`).
 */
export class FileDestination implements Destination {
  readonly #options: ResolvedFileOptions;
  readonly #template: PathTemplate;
  readonly #sync: IntervalSync | undefined;
  readonly #appender: Appender;
  readonly #cleanedFolders = new Set<string>();
  /** Folders this destination has created or found, so each write skips a recursive mkdir. */
  readonly #knownFolders = new Set<string>();
  readonly #pending = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(options: FileDestinationOptions | string) {
    this.#options = resolveOptions(options);
    this.#template = new PathTemplate(this.#options.path, this.#options.timeZone);
    // Placeholders render to plain segments, so a sample rendering shows any escape now.
    const sample = this.#template.render({ pipeline: 'pipeline', runId: 'run', time: new Date(0) });
    assertInsideBase(this.#options.baseDir, sample, this.#options.path);

    this.#sync = this.#options.fsync === 'interval' ? new IntervalSync(this.#options.fsyncIntervalMs, silentLogger) : undefined;
    this.#appender = new Appender(this.#options, this.#sync);
  }

  /** The absolute path template of the target file; equal to the target path when it has no placeholders. */
  get path(): string {
    return this.#options.path;
  }

  get mode(): FileWriteMode {
    return this.#options.mode;
  }

  /** Resolves the target path for a run: the template filled with its pipeline, run id and scheduled time. */
  resolvePath(context: Pick<RunContext, 'pipeline' | 'runId' | 'scheduledAt'>): string {
    const path = this.#template.render({ pipeline: context.pipeline, runId: context.runId, time: context.scheduledAt });
    assertInsideBase(this.#options.baseDir, path, this.#options.path);
    return path;
  }

  async write(payload: Payload, context: RunContext): Promise<void> {
    if (this.#closing !== undefined) {
      throw new DeltavError(FileErrorCodes.CLOSED, `FileDestination for ${this.#options.path} is closed. Fix: create a new destination; close() is final.`);
    }
    context.signal.throwIfAborted();

    const work = this.#write(payload, context);
    this.#pending.add(work);
    try {
      await work;
    } finally {
      this.#pending.delete(work);
    }
  }

  /** Waits for writes in progress and background rotation work, and flushes unflushed writes. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled(this.#pending);
      await this.#appender.close();
      await this.#sync?.close();
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #write(payload: Payload, context: RunContext): Promise<void> {
    const target = this.resolvePath(context);
    await assertRealPathInsideBase(this.#options.baseDir, target, this.#options.path);
    const folder = dirname(target);
    if (!this.#knownFolders.has(folder)) {
      await ensureFolder(folder, this.#options.dirMode);
      // Templates with time fields make new folders forever; the set only saves system calls, so it can start over.
      if (this.#knownFolders.size >= MAX_KNOWN_FOLDERS) this.#knownFolders.clear();
      this.#knownFolders.add(folder);
    }
    try {
      await this.#writeTo(target, folder, payload, context);
    } catch (error) {
      // A folder removed since it was last seen shows up as ENOENT: create it again and write once more.
      const wasKnown = this.#knownFolders.delete(folder);
      if (!wasKnown || errnoOf(error) !== 'ENOENT') throw error;
      await ensureFolder(folder, this.#options.dirMode);
      this.#knownFolders.add(folder);
      await this.#writeTo(target, folder, payload, context);
    }
  }

  async #writeTo(target: string, folder: string, payload: Payload, context: RunContext): Promise<void> {
    const { mode } = this.#options;
    if (mode === 'append') {
      // A record goes out in one write call, so a streamed payload is read whole first.
      const bytes = await payload.bytes();
      const rotatedPath = await this.#appender.append(target, bytes, context);
      if (rotatedPath !== undefined) context.emit('file.rotated', { path: target, rotatedPath });
      context.emit('file.written', { path: target, mode, bytes: bytes.byteLength });
      return;
    }

    if (!this.#cleanedFolders.has(folder)) {
      this.#cleanedFolders.add(folder);
      await removeStaleTempFiles(folder);
    }
    const body = payload.streamed ? payload.stream() : await payload.bytes();
    const written = await writeFileAtomically(
      target,
      body,
      { fileMode: this.#options.fileMode, sync: this.#options.fsync === 'always', noClobber: mode === 'unique' },
      context.signal,
    );
    this.#sync?.markDirty(written.path, context.logger);
    context.emit('file.written', { path: written.path, mode, bytes: written.bytes });
  }
}
