import { DeltavError } from '@deltav/core';
import { PassThrough, pipeline as pipelineCallback, Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DecodeStream } from './decode.js';
import { HttpErrorCodes } from './errors.js';

/** How much of an error response goes into the error message, in bytes. */
export const SNIPPET_BYTES = 256;
/** How much of an error response is read, as received, to find the snippet, in bytes. */
const SNIPPET_READ_BYTES = 64 * 1024;

/** Fails the stream once more than `maxBytes` bytes have passed. */
class LimitStream extends Transform {
  readonly #maxBytes: number;
  readonly #tooLarge: () => Error;
  #bytes = 0;

  constructor(maxBytes: number, tooLarge: () => Error) {
    super();
    this.#maxBytes = maxBytes;
    this.#tooLarge = tooLarge;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.byteLength;
    if (this.#bytes > this.#maxBytes) {
      callback(this.#tooLarge());
      return;
    }
    callback(null, chunk);
  }
}

/** Collects chunks; with `stopAfter`, ends the pipeline early by failing with `Enough`. */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  readonly #stopAfter: number;

  constructor(stopAfter = Number.POSITIVE_INFINITY) {
    super();
    this.#stopAfter = stopAfter;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
    callback(this.bytes >= this.#stopAfter ? new Enough() : null);
  }
}

class Enough extends Error {}

/**
 * Reads a response body, decoding its content codings (given in the order the server
 * applied them), and fails with `DELTAV_HTTP_BODY_TOO_LARGE` as soon as the body as
 * received or decoded exceeds `maxBytes`. On any failure every stream, the response
 * body included, is destroyed, so its connection is closed instead of reused.
 */
export async function readBody(body: Readable, codings: readonly string[], maxBytes: number, target: string): Promise<Buffer> {
  const tooLarge = (stage: string) => () =>
    new DeltavError(
      HttpErrorCodes.BODY_TOO_LARGE,
      `${target} returned a body larger than maxBodyBytes (${maxBytes} bytes) ${stage}. Raise maxBodyBytes if the endpoint really returns that much.`,
    );

  const collector = new Collector();
  const decoders = [...codings].reverse().map((coding) => new DecodeStream(coding));
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream> = [body, new LimitStream(maxBytes, tooLarge('as received'))];
  if (decoders.length > 0) stages.push(...decoders, new LimitStream(maxBytes, tooLarge('after decoding')));
  stages.push(collector);

  await pipeline(stages);
  return collector.chunks.length === 1 ? collector.chunks[0]! : Buffer.concat(collector.chunks, collector.bytes);
}

/**
 * Returns a response body, decoded, as a stream that fails with
 * `DELTAV_HTTP_BODY_TOO_LARGE` once it exceeds `maxBytes`, received or decoded. Nothing is
 * read until the stream is consumed; destroying it destroys the response body too.
 */
export function streamBody(body: Readable, codings: readonly string[], maxBytes: number, target: string): Readable {
  const tooLarge = (stage: string) => () =>
    new DeltavError(
      HttpErrorCodes.BODY_TOO_LARGE,
      `${target} returned a body larger than maxBodyBytes (${maxBytes} bytes) ${stage}. Raise maxBodyBytes if the endpoint really returns that much.`,
    );
  const decoders = [...codings].reverse().map((coding) => new DecodeStream(coding));
  const output = new PassThrough();
  const stages: Array<NodeJS.ReadableStream | NodeJS.ReadWriteStream> = [body, new LimitStream(maxBytes, tooLarge('as received'))];
  if (decoders.length > 0) stages.push(...decoders, new LimitStream(maxBytes, tooLarge('after decoding')));
  // On any failure the pipeline destroys every stage; the output then fails with the same error.
  pipelineCallback([...stages, output], (error) => {
    if (error) output.destroy(error);
  });
  return output;
}

/**
 * Reads up to `SNIPPET_BYTES` of a decoded error body as one line of text, for error
 * messages. Never throws: a broken body only shortens the snippet.
 */
export async function readSnippet(body: Readable, codings: readonly string[]): Promise<string> {
  const collector = new Collector(SNIPPET_BYTES);
  const decoders = [...codings].reverse().map((coding) => new DecodeStream(coding));
  try {
    await pipeline([body, new LimitStream(SNIPPET_READ_BYTES, () => new Enough()), ...decoders, collector]);
  } catch {
    // The snippet only decorates the status error; a broken or long body must not replace it.
  } finally {
    // Destroying an unread undici body emits an abort error, which is expected here.
    body.on('error', () => {}).destroy();
  }

  const bytes = Buffer.concat(collector.chunks);
  const text = bytes
    .subarray(0, SNIPPET_BYTES)
    .toString('utf8')
    // Control characters would garble one-line log output.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
    .trim();
  return bytes.byteLength > SNIPPET_BYTES ? `${text}…` : text;
}
