import { DeltavError, markRetryable, type Destination, type Payload, type RunContext } from '@deltav/core';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { appendFileDestinationOptionsSchema, type AppendFileDestinationOptions } from './options.js';

/** Errno codes that a later attempt may not meet. */
const TRANSIENT_ERRNO = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR']);

/**
 * A destination that appends each payload and a separator to one file. The file stays
 * open between runs and `close()` closes it.
 */
export class AppendFileDestination implements Destination {
  readonly #path: string;
  readonly #separator: Uint8Array;
  readonly #fileMode: number;
  #file: Promise<FileHandle> | undefined;
  #closed = false;

  constructor(options: AppendFileDestinationOptions) {
    const parsed = appendFileDestinationOptionsSchema.parse(options);
    this.#path = resolve(parsed.path);
    this.#separator = new TextEncoder().encode(parsed.separator);
    this.#fileMode = parsed.fileMode;
  }

  /** The absolute path of the file. */
  get path(): string {
    return this.#path;
  }

  async write(payload: Payload, context: RunContext): Promise<void> {
    context.signal.throwIfAborted();
    if (this.#closed) throw new DeltavError('APPEND_FILE_CLOSED', `append-file: write to ${this.#path} after close(); create a new destination instead.`);

    const body = await payload.bytes();
    const record = new Uint8Array(body.byteLength + this.#separator.byteLength);
    record.set(body);
    record.set(this.#separator, body.byteLength);

    try {
      const file = await this.#open();
      context.signal.throwIfAborted();
      // One write call per record, so concurrent readers never see half a separator.
      await file.write(record);
    } catch (error) {
      if (context.signal.aborted && error === context.signal.reason) throw error;
      throw this.#classify(error);
    }
  }

  /** Closes the file. Safe to call before the first write and more than once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const file = this.#file;
    this.#file = undefined;
    if (file !== undefined) await (await file.catch(() => undefined))?.close();
  }

  #open(): Promise<FileHandle> {
    this.#file ??= mkdir(dirname(this.#path), { recursive: true }).then(() => open(this.#path, 'a', this.#fileMode));
    // A failed open is forgotten, so the next attempt tries again.
    this.#file.catch(() => (this.#file = undefined));
    return this.#file;
  }

  #classify(error: unknown): Error {
    const code = (error as { code?: unknown }).code;
    const wrapped = new DeltavError('APPEND_FILE_WRITE_FAILED', `append-file: failed to append to ${this.#path}: ${(error as Error).message}`, { cause: error });
    return typeof code === 'string' && TRANSIENT_ERRNO.has(code) ? markRetryable(wrapped) : wrapped;
  }
}
