import { DeltavError, type PayloadInit, type RunContext, type Source } from '@deltav/core';
import type { Dispatcher } from 'undici';
import { classifyTransportError, isStaleConnectionError, statusError } from './classify.js';
import { Credentials } from './credentials.js';
import { Deadline } from './deadline.js';
import { parseContentEncoding } from './decode.js';
import { createDispatcher, type SourceDispatcher } from './dispatcher.js';
import { HttpErrorCodes } from './errors.js';
import type { HttpMethod, HttpSourceOptions } from './options.js';
import { readBody, readSnippet, streamBody } from './read-body.js';
import { redactUrl } from './redact.js';
import { RedirectChain, isRedirect, type Hop } from './redirects.js';
import { resolveOptions, type ResolvedOptions } from './resolve-options.js';
import { conditionalHeaders, loadValidators, sha256, VALIDATORS_STATE_KEY, type StoredValidators } from './validators.js';

/** Methods that RFC 9110 defines as idempotent, so a request may be sent twice. */
const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Request headers that carry credentials and are dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** How much of a redirect's body is read to keep its connection, in bytes. */
const REDIRECT_DUMP_BYTES = 64 * 1024;

/** Response headers copied into the payload metadata, under their lower-case names. */
const METADATA_HEADERS = ['content-type', 'content-language', 'content-disposition', 'etag', 'last-modified', 'date', 'cache-control', 'expires', 'age'];

/** The data of each `http.request` event, one per response or failed request. */
export interface HttpRequestEvent {
  method: string;
  /** `undefined` when no response arrived. */
  statusCode: number | undefined;
  statusClass: '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'none';
  /** From sending the request to the end of its body, in milliseconds. */
  durationMs: number;
  /** Whether the server responded to a conditional request with 304 Not Modified. */
  notModified: boolean;
}

interface Exchange {
  hop: Hop;
  response: Dispatcher.ResponseData;
  /** `performance.now()` when the request was sent. */
  started: number;
  /** Whether the request carried `If-None-Match` or `If-Modified-Since`. */
  conditional: boolean;
}

/**
 * A source that polls an HTTP endpoint, one fetch per run, over a keep-alive connection
 * pool that it owns. See `HttpSourceOptions` for what it sends and accepts.
 */
export class HttpSource implements Source {
  readonly #options: ResolvedOptions;
  readonly #pool: SourceDispatcher;
  readonly #credentials: Credentials;
  /** Identifies the request in the state store without revealing its URL. */
  readonly #requestKey: string;
  #closing: Promise<void> | undefined;

  constructor(options: HttpSourceOptions) {
    this.#options = resolveOptions(options);
    this.#credentials = new Credentials(this.#options.auth);
    this.#requestKey = sha256(`${this.#options.method} ${this.#options.url.href}`);
    this.#pool = createDispatcher(this.#options);
  }

  /**
   * Sends the request, follows redirects and returns the decoded body. Returns `null`
   * (the run ends unchanged) on a 304 response to a conditional request, on a body with the
   * same hash as the last one when `compareContentHash` is on, and on an empty body when
   * `emptyBody` is `"unchanged"`.
   */
  async fetch(context: RunContext): Promise<PayloadInit | null> {
    if (this.#closing !== undefined) {
      throw new DeltavError(HttpErrorCodes.CLOSED, `HttpSource for ${this.#format(this.#options.url)} is closed. Create a new source to fetch again.`);
    }
    context.signal.throwIfAborted();

    const deadline = new Deadline(context.signal, this.#options.timeoutMs);
    let streaming = false;
    try {
      const init = await this.#fetch(context, deadline);
      // A streamed body clears the deadline itself when it ends.
      streaming = init !== null && !(init.body instanceof Uint8Array);
      return init;
    } finally {
      if (!streaming) deadline.clear();
    }
  }

  /** Closes the connection pool once running requests finish. Safe to call more than once. */
  close(): Promise<void> {
    this.#closing ??= this.#pool.dispatcher.close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #fetch(context: RunContext, deadline: Deadline): Promise<PayloadInit | null> {
    const options = this.#options;
    const tracksState = options.conditional || options.compareContentHash;
    const validators = tracksState ? await loadValidators(context.state, this.#requestKey) : undefined;

    const headers: Record<string, string> = { ...options.headers };
    if (options.conditional) Object.assign(headers, conditionalHeaders(validators));
    const authorization = await this.#credentials.header();
    if (authorization !== undefined) headers.authorization = authorization;

    let hop: Hop = { url: options.url, method: options.method, body: options.body };
    const chain = new RedirectChain(hop, options.maxRedirects, (url) => this.#format(url));
    for (;;) {
      const exchange = await this.#send(hop, headers, context, deadline);
      const { statusCode, headers: responseHeaders } = exchange.response;
      const location = responseHeaders.location;
      if (options.maxRedirects === 0 || !isRedirect(statusCode, location)) {
        return await this.#complete(exchange, validators, context, deadline);
      }

      await this.#discard(exchange, context, deadline);
      const next = chain.next(hop, statusCode, location!);
      context.logger.debug({ statusCode, from: this.#format(hop.url), to: this.#format(next.url) }, 'following redirect');
      if (next.url.origin !== hop.url.origin) {
        for (const name of CREDENTIAL_HEADERS) delete headers[name];
      }
      if (next.body === undefined) delete headers['content-type'];
      hop = next;
    }
  }

  /**
   * Sends one request. A connection error on a reused keep-alive connection, before any
   * response, is retried once at once for idempotent methods: the server most likely
   * closed the idle connection as the request went out.
   */
  async #send(hop: Hop, headers: Record<string, string>, context: RunContext, deadline: Deadline): Promise<Exchange> {
    const conditional = headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const connectionsBefore = this.#pool.connections();
      try {
        const response = await this.#pool.dispatcher.request({
          origin: hop.url.origin,
          path: `${hop.url.pathname}${hop.url.search}`,
          method: hop.method,
          headers,
          body: hop.body ?? null,
          signal: deadline.signal,
          headersTimeout: this.#options.headersTimeoutMs,
          bodyTimeout: this.#options.bodyTimeoutMs,
        });
        return { hop, response, started, conditional };
      } catch (error) {
        this.#emit(context, hop.method, started, undefined, false);

        // The proxy agents do not report connections, so there any connection counts as reused.
        const reused = connectionsBefore === undefined || this.#pool.connections() === connectionsBefore;
        if (attempt === 1 && reused && IDEMPOTENT_METHODS.has(hop.method) && !deadline.signal.aborted && isStaleConnectionError(error)) {
          context.logger.debug({ url: this.#format(hop.url), err: error }, 'keep-alive connection closed by the server; sending the request again');
          continue;
        }
        throw classifyTransportError(error, this.#target(hop), context.signal, deadline);
      }
    }
  }

  /** Reads the final response of a fetch and turns it into a payload, `null` or an error. */
  async #complete(exchange: Exchange, validators: StoredValidators | undefined, context: RunContext, deadline: Deadline): Promise<PayloadInit | null> {
    const { hop, response } = exchange;
    const { statusCode, headers, body } = response;
    const options = this.#options;
    const target = this.#target(hop);
    let notModified = false;
    let handedOff = false;

    try {
      if (statusCode === 304 && exchange.conditional) {
        notModified = true;
        await body.dump();
        return null;
      }

      const encoding = options.decompress ? parseContentEncoding(headers['content-encoding']) : { codings: [] };
      if (!options.isAccepted(statusCode)) {
        const snippet = encoding.unsupported === undefined ? await readSnippet(body, encoding.codings) : '';
        throw statusError(statusCode, target, snippet, headers['retry-after']);
      }
      if (encoding.unsupported !== undefined) {
        throw new DeltavError(
          HttpErrorCodes.DECODE,
          `${target} returned content-encoding "${encoding.unsupported}", which this source cannot decode. Set decompress: false to receive the body as is.`,
        );
      }
      this.#checkContentLength(hop, statusCode, headers['content-length']);

      if (options.stream) {
        const init = await this.#toPayload(undefined, exchange, validators, context);
        handedOff = true;
        return { ...init!, body: this.#streamed(body, encoding.codings, exchange, context, deadline) };
      }

      let bytes: Buffer;
      try {
        bytes = await readBody(body, encoding.codings, options.maxBodyBytes, target);
      } catch (error) {
        throw classifyTransportError(error, target, context.signal, deadline);
      }
      return await this.#toPayload(bytes, exchange, validators, context);
    } finally {
      if (!handedOff) {
        if (!body.readableEnded) destroyBody(body);
        this.#emit(context, hop.method, exchange.started, statusCode, notModified);
      }
    }
  }

  /**
   * Passes a response body on as it arrives. Transport failures are classified as in a
   * buffered read, and the request event is emitted when the stream ends, however it ends.
   */
  async *#streamed(
    body: Dispatcher.ResponseData['body'],
    codings: readonly string[],
    exchange: Exchange,
    context: RunContext,
    deadline: Deadline,
  ): AsyncGenerator<Uint8Array> {
    const target = this.#target(exchange.hop);
    const decoded = streamBody(body, codings, this.#options.maxBodyBytes, target);
    try {
      for await (const chunk of decoded) yield chunk as Uint8Array;
    } catch (error) {
      if (error instanceof DeltavError) throw error;
      throw classifyTransportError(error, target, context.signal, deadline);
    } finally {
      decoded.on('error', () => {}).destroy();
      if (!body.readableEnded) destroyBody(body);
      deadline.clear();
      this.#emit(context, exchange.hop.method, exchange.started, exchange.response.statusCode, false);
    }
  }

  /** Builds the payload of a response; `bytes` is `undefined` for a body passed on as a stream. */
  async #toPayload(bytes: Buffer | undefined, exchange: Exchange, validators: StoredValidators | undefined, context: RunContext): Promise<PayloadInit | null> {
    const options = this.#options;
    const { headers, statusCode } = exchange.response;
    const hash = options.compareContentHash && bytes !== undefined ? sha256(bytes) : undefined;
    const unchangedHash = hash !== undefined && hash === validators?.sha256;

    // Stored only once the destination has written this content (through the run's commit
    // callback), so a failed fetch or write never makes the next poll conditional on
    // content that did not land. A hand-built context without onCommit stores them now.
    if (options.conditional || options.compareContentHash) {
      const stored: StoredValidators = { request: this.#requestKey };
      const etag = headerText(headers.etag);
      const lastModified = headerText(headers['last-modified']);
      if (options.conditional && etag !== undefined) stored.etag = etag;
      if (options.conditional && lastModified !== undefined) stored.lastModified = lastModified;
      if (hash !== undefined) stored.sha256 = hash;
      const save = () => context.state.set(VALIDATORS_STATE_KEY, stored);
      if (context.onCommit === undefined) await save();
      else context.onCommit(save);
    }

    if (unchangedHash) return null;
    if (bytes !== undefined && bytes.byteLength === 0 && options.emptyBody === 'unchanged') return null;

    const metadata: Record<string, string> = { status: String(statusCode), url: this.#format(exchange.hop.url) };
    for (const name of METADATA_HEADERS) {
      const value = headerText(headers[name]);
      if (value !== undefined) metadata[name] = value;
    }
    // A body passed on undecoded keeps its coding, so the destination can tell.
    const contentEncoding = headerText(headers['content-encoding']);
    if (!options.decompress && contentEncoding !== undefined) metadata['content-encoding'] = contentEncoding;
    if (hash !== undefined) metadata.sha256 = hash;

    const contentType = headerText(headers['content-type']);
    const body = bytes ?? new Uint8Array(0);
    return contentType === undefined ? { body, metadata } : { body, contentType, metadata };
  }

  /** Fails early when `content-length` already announces a body over the limit. */
  #checkContentLength(hop: Hop, statusCode: number, header: string | string[] | undefined): void {
    if (hop.method === 'HEAD' || statusCode === 204) return;
    const length = Number(headerText(header));
    if (!Number.isFinite(length) || length <= this.#options.maxBodyBytes) return;

    throw new DeltavError(
      HttpErrorCodes.BODY_TOO_LARGE,
      `${this.#target(hop)} returned a body larger than maxBodyBytes (${this.#options.maxBodyBytes} bytes): content-length is ${length}. Raise maxBodyBytes if the endpoint really returns that much.`,
    );
  }

  /** Drains a redirect's body so its connection can be reused, and reports the response. */
  async #discard(exchange: Exchange, context: RunContext, deadline: Deadline): Promise<void> {
    const { body, statusCode } = exchange.response;
    try {
      // Past the limit, undici closes the connection instead of reading on.
      await body.dump({ limit: REDIRECT_DUMP_BYTES, signal: deadline.signal });
    } catch (error) {
      throw classifyTransportError(error, this.#target(exchange.hop), context.signal, deadline);
    } finally {
      this.#emit(context, exchange.hop.method, exchange.started, statusCode, false);
    }
  }

  #emit(context: RunContext, method: string, started: number, statusCode: number | undefined, notModified: boolean): void {
    const event: HttpRequestEvent = {
      method,
      statusCode,
      statusClass: statusCode === undefined ? 'none' : (`${Math.floor(statusCode / 100)}xx` as HttpRequestEvent['statusClass']),
      durationMs: performance.now() - started,
      notModified,
    };
    context.emit('http.request', { ...event });
  }

  #target(hop: Hop): string {
    return `${hop.method} ${this.#format(hop.url)}`;
  }

  #format(url: URL): string {
    return redactUrl(url, this.#options.secretQueryParams);
  }
}

/** Destroys an unread body, which closes its connection; the abort error it emits is expected. */
function destroyBody(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {}).destroy();
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
