import { DeltavError, type PayloadInit, type RunContext, type Source } from '@deltav/core';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { HttpErrorCodes, parseRetryAfter, redactUrl } from './errors.js';
import { resolveOptions, type HttpSourceOptions } from './options.js';
import { USER_AGENT } from './version.js';

/** Response statuses that a later attempt may turn into a success. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
/** How much of an error response body goes into the error message, in bytes. */
const SNIPPET_BYTES = 256;

/** A source that polls an HTTP endpoint, one request per run, over a keep-alive agent. */
export class HttpSource implements Source {
  readonly #options: ReturnType<typeof resolveOptions>;
  readonly #agent: Agent;
  #closed = false;

  constructor(options: HttpSourceOptions) {
    this.#options = resolveOptions(options);
    this.#agent = new Agent({
      headersTimeout: this.#options.headersTimeoutMs,
      bodyTimeout: this.#options.bodyTimeoutMs,
    });
  }

  async fetch(context: RunContext): Promise<PayloadInit> {
    const { parsedUrl, method, headers, body } = this.#options;
    const target = `${method} ${redactUrl(parsedUrl)}`;
    const started = performance.now();

    let response: Dispatcher.ResponseData;
    try {
      response = await this.#agent.request({
        origin: parsedUrl.origin,
        path: `${parsedUrl.pathname}${parsedUrl.search}`,
        method,
        headers: { 'user-agent': USER_AGENT, ...headers },
        ...(body === undefined ? {} : { body }),
        signal: context.signal,
      });
    } catch (error) {
      throw classifyTransportError(error, target, context.signal);
    }

    const { statusCode } = response;
    context.emit('http.request', { method, statusCode, durationMs: performance.now() - started });
    if (statusCode < 200 || statusCode > 299) {
      const snippet = await readSnippet(response.body);
      throw new DeltavError(HttpErrorCodes.STATUS, `${target} failed with status ${statusCode}${snippet === '' ? '' : `: ${snippet}`}`, {
        retryable: RETRYABLE_STATUS.has(statusCode),
        retryAfterMs: parseRetryAfter(response.headers['retry-after']),
      });
    }

    const bytes = await this.#readBody(response.body, target, context.signal);
    const contentType = response.headers['content-type'];
    return {
      body: bytes,
      ...(typeof contentType === 'string' ? { contentType } : {}),
      metadata: { status: String(statusCode), url: redactUrl(parsedUrl) },
    };
  }

  /** Closes the agent and its keep-alive sockets. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#agent.close();
  }

  async #readBody(body: Dispatcher.ResponseData['body'], target: string, signal: AbortSignal): Promise<Uint8Array> {
    const limit = this.#options.maxBodyBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += (chunk as Buffer).byteLength;
        if (size > limit) {
          body.destroy();
          throw new DeltavError(
            HttpErrorCodes.BODY_TOO_LARGE,
            `${target} returned a body larger than maxBodyBytes (${limit} bytes). Raise maxBodyBytes if the endpoint really returns that much.`,
          );
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof DeltavError) throw error;
      throw classifyTransportError(error, target, signal);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  }
}

async function readSnippet(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).byteLength;
      if (size >= SNIPPET_BYTES) break;
    }
  } catch {
    // The snippet only decorates the status error; a broken body must not replace it.
  } finally {
    body.destroy();
  }
  const text = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8').replace(/\s+/g, ' ').trim();
  return size > SNIPPET_BYTES ? `${text}…` : text;
}

function classifyTransportError(error: unknown, target: string, signal: AbortSignal): unknown {
  // The run's own deadline or shutdown: keep the scheduler's reason.
  if (signal.aborted) return signal.reason;

  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new DeltavError(HttpErrorCodes.TIMEOUT, `${target} timed out: ${(error as Error).message}`, { cause: error, retryable: true });
  }
  const code = (error as { code?: unknown }).code;
  return new DeltavError(HttpErrorCodes.NETWORK, `${target} failed: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`, {
    cause: error,
    retryable: true,
  });
}
