import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

/**
 * Content codings this source decodes; `x-gzip` is the legacy name of `gzip`. Decoding is
 * strict: a body that ends before its compressed stream does fails, rather than passing
 * truncated data on.
 */
const DECODERS: Record<string, ((first: Buffer) => Transform) | undefined> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  // Servers send "deflate" both with the zlib header (RFC 1950), as specified, and as raw
  // deflate data (RFC 1951), so the first two bytes decide.
  deflate: (first) => (hasZlibHeader(first) ? zlib.createInflate() : zlib.createInflateRaw()),
  br: () => zlib.createBrotliDecompress(),
};

/** Errors raised by decoders, so the caller can tell invalid data from a broken connection. */
const decodeErrors = new WeakSet<object>();

/** Tests whether an error came from decoding the content coding. */
export function isDecodeError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && decodeErrors.has(error);
}

/**
 * Splits a `content-encoding` header into codings in the order they were applied,
 * without `identity`. Returns the first unsupported coding as `unsupported`.
 */
export function parseContentEncoding(header: string | string[] | undefined): { codings: string[]; unsupported?: string } {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const codings = text
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  const unsupported = codings.find((coding) => DECODERS[coding] === undefined);
  return unsupported === undefined ? { codings } : { codings, unsupported };
}

/**
 * Decodes one content coding. The zlib stream is created on the first byte, so an empty
 * body decodes to an empty body instead of failing as a truncated stream.
 */
export class DecodeStream extends Transform {
  readonly #coding: string;
  #inner: Transform | undefined;
  #held: Buffer[] = [];
  #heldBytes = 0;

  constructor(coding: string) {
    super();
    this.#coding = coding;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#inner !== undefined) {
      this.#inner.write(chunk, () => callback());
      return;
    }

    this.#held.push(chunk);
    this.#heldBytes += chunk.byteLength;
    // The deflate header check needs two bytes.
    if (this.#heldBytes < 2) {
      callback();
      return;
    }
    this.#start().write(Buffer.concat(this.#held), () => callback());
    this.#held = [];
  }

  override _flush(callback: TransformCallback): void {
    if (this.#inner === undefined && this.#heldBytes === 0) {
      callback();
      return;
    }

    const inner = this.#inner ?? this.#start();
    if (this.#held.length > 0) inner.write(Buffer.concat(this.#held));
    this.#held = [];
    inner.once('end', () => callback());
    inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }

  #start(): Transform {
    const inner = DECODERS[this.#coding]!(Buffer.concat(this.#held));
    inner.on('data', (chunk: Buffer) => this.push(chunk));
    inner.on('error', (error) => {
      decodeErrors.add(error);
      this.destroy(error);
    });
    this.#inner = inner;
    return inner;
  }
}

function hasZlibHeader(bytes: Buffer): boolean {
  if (bytes.byteLength < 2) return false;
  const cmf = bytes[0]!;
  const flg = bytes[1]!;
  // RFC 1950: compression method 8 (deflate), window size at most 32 KiB, and a
  // header that is a multiple of 31.
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}
