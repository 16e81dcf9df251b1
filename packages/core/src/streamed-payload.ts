import { randomBytes } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DeltavError, ErrorCodes } from './errors.js';
import { kRelease, kReplayable, type PayloadInternals, type PayloadMetadata, type SpoolOptions } from './payload-internals.js';
import type { Payload } from './payload.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');
/** Size of the chunks read back from a spool file, in bytes. */
const SPOOL_CHUNK_BYTES = 256 * 1024;

/**
 * A payload whose body flows from the source as it is read. Without a spool it can be
 * read once. With a spool, every chunk read from the source is also appended to a temp
 * file, so a later read (a destination retry) replays the file and then continues with
 * whatever the source has not sent yet.
 */
export class StreamedPayload implements Payload, PayloadInternals {
  readonly contentType: string | undefined;
  readonly metadata: PayloadMetadata;
  readonly streamed = true;
  readonly #source: AsyncIterator<Uint8Array>;
  readonly #spool: SpoolOptions | undefined;
  #spoolFile: { path: string; handle: FileHandle } | undefined;
  #spooledBytes = 0;
  #sourceBytes = 0;
  #sourceDone = false;
  #reads = 0;
  #buffered: Uint8Array | undefined;
  #released = false;

  constructor(source: AsyncIterable<Uint8Array>, contentType: string | undefined, metadata: PayloadMetadata, spool: SpoolOptions | undefined) {
    this.#source = source[Symbol.asyncIterator]();
    this.contentType = contentType;
    this.metadata = metadata;
    this.#spool = spool;
  }

  get size(): number | undefined {
    return this.#sourceDone ? this.#sourceBytes : undefined;
  }

  /** Bytes received from the source so far. */
  get receivedBytes(): number {
    return this.#sourceBytes;
  }

  stream(): ReadableStream<Uint8Array> {
    if (this.#buffered !== undefined) {
      const body = this.#buffered;
      return ReadableStream.from([body]);
    }
    return ReadableStream.from(this.#read());
  }

  async bytes(): Promise<Uint8Array> {
    if (this.#buffered !== undefined) return this.#buffered;
    const chunks: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of this.#read()) {
      chunks.push(chunk);
      length += chunk.byteLength;
    }
    const body = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.#buffered = body;
    return body;
  }

  async text(): Promise<string> {
    return decoder.decode(await this.bytes());
  }

  async json<T = unknown>(): Promise<T> {
    return JSON.parse(await this.text()) as T;
  }

  [kReplayable](): boolean {
    return this.#reads === 0 || this.#buffered !== undefined || this.#spool !== undefined;
  }

  async [kRelease](): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    if (!this.#sourceDone) await this.#source.return?.().catch(() => {});
    const spool = this.#spoolFile;
    this.#spoolFile = undefined;
    if (spool !== undefined) {
      await spool.handle.close().catch(() => {});
      await rm(spool.path, { force: true }).catch(() => {});
    }
  }

  /** Yields the whole body: first what the spool holds, then the rest of the source. */
  async *#read(): AsyncGenerator<Uint8Array> {
    if (this.#released) throw consumedError('the run has ended');
    if (this.#reads > 0 && this.#spool === undefined) {
      throw consumedError('it was already read once and the pipeline does not spool streams');
    }
    const generation = ++this.#reads;

    if (this.#spoolFile !== undefined && this.#spooledBytes > 0) {
      yield* this.#replaySpool(generation);
    }

    while (!this.#sourceDone) {
      if (generation !== this.#reads) throw consumedError('a newer read of the same body started');
      const { value, done } = await this.#source.next();
      if (done === true) {
        this.#sourceDone = true;
        break;
      }
      const chunk = toChunk(value);
      this.#sourceBytes += chunk.byteLength;
      if (this.#spool !== undefined) await this.#append(chunk);
      yield chunk;
    }
  }

  async *#replaySpool(generation: number): AsyncGenerator<Uint8Array> {
    const { handle } = this.#spoolFile!;
    const end = this.#spooledBytes;
    let position = 0;
    while (position < end) {
      if (generation !== this.#reads) throw consumedError('a newer read of the same body started');
      const length = Math.min(SPOOL_CHUNK_BYTES, end - position);
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead === 0) throw new DeltavError(ErrorCodes.INVALID_PAYLOAD, 'The spool file of a streamed payload ended early; it was changed by another process.');
      position += bytesRead;
      yield bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
    }
  }

  async #append(chunk: Uint8Array): Promise<void> {
    if (this.#spoolFile === undefined) {
      const path = join(this.#spool!.dir, `deltav-spool-${randomBytes(8).toString('hex')}`);
      this.#spoolFile = { path, handle: await open(path, 'w+', 0o600) };
    }
    let written = 0;
    while (written < chunk.byteLength) {
      const { bytesWritten } = await this.#spoolFile.handle.write(chunk, written, chunk.byteLength - written, this.#spooledBytes + written);
      written += bytesWritten;
    }
    this.#spooledBytes += chunk.byteLength;
  }
}

function toChunk(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  throw new DeltavError(
    ErrorCodes.INVALID_PAYLOAD,
    `Invalid payload stream chunk: expected a Uint8Array or a string, received ${value === null ? 'null' : typeof value}.`,
  );
}

function consumedError(reason: string): DeltavError {
  return new DeltavError(
    ErrorCodes.BODY_CONSUMED,
    `The streamed payload body cannot be read again: ${reason}. Read it once, or spool streams on the pipeline (setStreamSpool) so retries can replay it.`,
  );
}
