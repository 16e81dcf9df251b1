import { DeltavError, ErrorCodes } from './errors.js';
import { kRelease, kReplayable, type PayloadInternals, type PayloadMetadata, type SpoolOptions } from './payload-internals.js';
import { StreamedPayload } from './streamed-payload.js';

export type { PayloadMetadata, SpoolOptions } from './payload-internals.js';

/** A payload body: bytes, text (encoded as UTF-8), or a stream of byte chunks. */
export type PayloadBody = Uint8Array | string | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** The source's description of a payload: the body, its media type and metadata. */
export interface PayloadInit {
  /**
   * The payload bytes. A string is encoded as UTF-8. An async iterable of `Uint8Array`
   * chunks (a Node.js `Readable` works) or a web `ReadableStream` flows to the destination
   * without being held in memory.
   */
  body: PayloadBody;
  /** A media type such as `application/json`. */
  contentType?: string;
  metadata?: Record<string, string>;
}

/**
 * The body and description a destination receives. `bytes()`, `text()` and `json()`
 * follow the Fetch API. A buffered body can be read any number of times. A streamed body
 * is read once, through `stream()` or one of the others, unless the pipeline spools
 * streams, in which case every read replays the same bytes.
 */
export interface Payload {
  readonly contentType: string | undefined;
  readonly metadata: PayloadMetadata;
  /** The body size in bytes; `undefined` for a streamed body that has not been read to the end. */
  readonly size: number | undefined;
  /** Whether the body arrives as a stream. */
  readonly streamed: boolean;
  /** The body as a web `ReadableStream` of byte chunks. */
  stream(): ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json<T = unknown>(): Promise<T>;
}

/** Shared by every payload without metadata, so such payloads allocate no object for it. */
const NO_METADATA: PayloadMetadata = Object.freeze({});
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

class BufferedPayload implements Payload, PayloadInternals {
  readonly contentType: string | undefined;
  readonly metadata: PayloadMetadata;
  readonly streamed = false;
  readonly #body: Uint8Array;

  constructor(body: Uint8Array, contentType: string | undefined, metadata: PayloadMetadata) {
    this.#body = body;
    this.contentType = contentType;
    this.metadata = metadata;
  }

  get size(): number {
    return this.#body.byteLength;
  }

  stream(): ReadableStream<Uint8Array> {
    const body = this.#body;
    return new ReadableStream({
      start(controller) {
        if (body.byteLength > 0) controller.enqueue(body);
        controller.close();
      },
    });
  }

  async bytes(): Promise<Uint8Array> {
    return this.#body;
  }

  async text(): Promise<string> {
    return decoder.decode(this.#body);
  }

  async json<T = unknown>(): Promise<T> {
    return JSON.parse(decoder.decode(this.#body)) as T;
  }

  async [kRelease](): Promise<void> {}

  [kReplayable](): boolean {
    return true;
  }
}

/** Builds a `Payload` from what a source returned, checking its shape. */
export function createPayload(init: PayloadInit, options: { spool?: SpoolOptions } = {}): Payload {
  if (typeof init !== 'object' || init === null) {
    throw new DeltavError(
      ErrorCodes.INVALID_PAYLOAD,
      `Invalid payload: expected an object with a body, received ${describe(init)}. Return { body } or null for "nothing new".`,
    );
  }

  const { body, contentType, metadata } = init;
  if (contentType !== undefined && typeof contentType !== 'string') {
    throw new DeltavError(ErrorCodes.INVALID_PAYLOAD, `Invalid payload contentType: expected a string, received ${describe(contentType)}.`);
  }
  const frozen = metadata === undefined ? NO_METADATA : Object.freeze({ ...metadata });

  if (typeof body === 'string') return new BufferedPayload(encoder.encode(body), contentType, frozen);
  if (body instanceof Uint8Array) return new BufferedPayload(body, contentType, frozen);
  if (isAsyncIterable(body)) return new StreamedPayload(body, contentType, frozen, options.spool);
  throw new DeltavError(
    ErrorCodes.INVALID_PAYLOAD,
    `Invalid payload body: expected a Uint8Array, a string, an async iterable of Uint8Array or a ReadableStream, received ${describe(body)}.`,
  );
}

/** Stops a payload's source stream and removes its spool file, if it has them. */
export function releasePayload(payload: Payload): Promise<void> {
  const release = (payload as Partial<PayloadInternals>)[kRelease];
  return typeof release === 'function' ? release.call(payload) : Promise.resolve();
}

/** Tests whether reading the payload again returns the whole body. */
export function isReplayable(payload: Payload): boolean {
  const replayable = (payload as Partial<PayloadInternals>)[kReplayable];
  return typeof replayable === 'function' ? replayable.call(payload) : true;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** Names a value's type for error messages, without printing its content. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}

/** Formats a bounded preview of a body for debug logs: text when printable, hex otherwise. */
export function previewBytes(bytes: Uint8Array, limit = 256): { size: number; preview: string; encoding: 'utf8' | 'hex'; truncated: boolean } {
  const head = bytes.subarray(0, limit);
  const truncated = bytes.byteLength > limit;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  // Control characters other than tab and line breaks, or a replacement character, mean binary data.
  // eslint-disable-next-line no-control-regex
  const printable = !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text.slice(0, truncated ? -4 : undefined));
  if (printable) return { size: bytes.byteLength, preview: text, encoding: 'utf8', truncated };
  return { size: bytes.byteLength, preview: Buffer.from(head).toString('hex'), encoding: 'hex', truncated };
}
