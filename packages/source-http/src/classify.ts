import { DeltavError } from '@deltav/core';
import { isDecodeError } from './decode.js';
import { HttpErrorCodes, HttpStatusError } from './errors.js';
import { parseRetryAfter } from './retry-after.js';

/** undici error codes of its connect, headers and body timeouts. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Error codes of a connection that the server closed or reset. On a reused keep-alive
 * connection they usually mean the server closed it while idle, just as the request went out.
 */
const STALE_CONNECTION_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * Certificate verification failures: the server or the trust settings must change, so
 * trying again does not help.
 */
const TLS_VERIFY_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|ERR_TLS_CERT_ALTNAME_INVALID$|HOSTNAME_MISMATCH$)/;

/** Tests whether a status is worth another attempt: 408, 425, 429 and every 5xx. */
export function isRetryableStatus(statusCode: number): boolean {
  return statusCode === 408 || statusCode === 425 || statusCode === 429 || (statusCode >= 500 && statusCode <= 599);
}

/** Tests whether a request error looks like a keep-alive connection closed by the server. */
export function isStaleConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_CONNECTION_CODES.has(code);
}

/** Builds the error of a response with a status that is not accepted. */
export function statusError(statusCode: number, target: string, snippet: string, retryAfter: string | string[] | undefined): HttpStatusError {
  const retryable = isRetryableStatus(statusCode);
  const retryAfterMs = retryable ? parseRetryAfter(retryAfter) : undefined;
  return new HttpStatusError(statusCode, `${target} failed with status ${statusCode}${snippet === '' ? '' : `: ${snippet}`}`, {
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/**
 * Turns what a request or body read threw into the error the run fails with. When the
 * run's own signal aborted (run timeout or shutdown), its reason is returned unchanged.
 */
export function classifyTransportError(error: unknown, target: string, runSignal: AbortSignal, deadline: { expired: boolean; timeoutMs: number }): unknown {
  if (runSignal.aborted) return runSignal.reason;

  if (deadline.expired) {
    return new DeltavError(HttpErrorCodes.TIMEOUT, `${target} timed out: no complete response within timeoutMs (${deadline.timeoutMs} ms).`, {
      cause: error,
      retryable: true,
    });
  }

  if (error instanceof DeltavError) return error;

  if (isDecodeError(error)) {
    return new DeltavError(HttpErrorCodes.DECODE, `${target} returned a body that does not match its content-encoding: ${(error as Error).message}.`, {
      cause: error,
    });
  }

  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return new DeltavError(HttpErrorCodes.TIMEOUT, `${target} timed out: ${message} (${code}).`, { cause: error, retryable: true });
  }

  if (typeof code === 'string' && TLS_VERIFY_CODES.test(code)) {
    return new DeltavError(HttpErrorCodes.NETWORK, `${target} failed: ${message} (${code}). Check tls.ca or tls.caFile, or the server's certificate.`, {
      cause: error,
    });
  }

  return new DeltavError(HttpErrorCodes.NETWORK, `${target} failed: ${message}${typeof code === 'string' ? ` (${code})` : ''}.`, {
    cause: error,
    retryable: true,
  });
}
