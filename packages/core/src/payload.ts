import { DeltavError, ErrorCodes } from './errors.js';

/** Metadata that a source attaches to a payload, such as response headers. */
export type PayloadMetadata = Readonly<Record<string, string>>;

/** What a source returns: the body and what is known about it. */
export interface PayloadInit {
  /** The payload bytes; a string is encoded as UTF-8. */
  body: Uint8Array | string;
  /** A media type such as `application/json`. */
  contentType?: string;
  metadata?: Record<string, string>;
}

/**
 * What a destination receives. The body accessors follow the Fetch API and may be called
 * any number of times, so a destination retry reads the same bytes again.
 */
export interface Payload {
  readonly contentType: string | undefined;
  readonly metadata: PayloadMetadata;
  /** The body size in bytes. */
  readonly size: number;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json<T = unknown>(): Promise<T>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

class BufferedPayload implements Payload {
  readonly contentType: string | undefined;
  readonly metadata: PayloadMetadata;
  readonly #body: Uint8Array;

  constructor(body: Uint8Array, contentType: string | undefined, metadata: PayloadMetadata) {
    this.#body = body;
    this.contentType = contentType;
    this.metadata = metadata;
  }

  get size(): number {
    return this.#body.byteLength;
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
}

/** Builds a `Payload` from what a source returned, checking its shape. */
export function createPayload(init: PayloadInit): Payload {
  if (typeof init !== 'object' || init === null) {
    throw new DeltavError(
      ErrorCodes.INVALID_PAYLOAD,
      `Invalid payload: expected an object with a body, received ${describe(init)}. Return { body } or null for "nothing new".`,
    );
  }

  const { body, contentType, metadata } = init;
  let bytes: Uint8Array;
  if (typeof body === 'string') {
    bytes = encoder.encode(body);
  } else if (body instanceof Uint8Array) {
    bytes = body;
  } else {
    throw new DeltavError(
      ErrorCodes.INVALID_PAYLOAD,
      `Invalid payload body: expected a Uint8Array or a string, received ${describe(body)}.`,
    );
  }

  if (contentType !== undefined && typeof contentType !== 'string') {
    throw new DeltavError(ErrorCodes.INVALID_PAYLOAD, `Invalid payload contentType: expected a string, received ${describe(contentType)}.`);
  }

  return new BufferedPayload(bytes, contentType, Object.freeze({ ...(metadata ?? {}) }));
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
