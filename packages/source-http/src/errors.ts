import { DeltavError, type DeltavErrorOptions } from '@deltav/core';

/** Stable codes of the errors that `HttpSource` raises. Match on these, not on classes. */
export const HttpErrorCodes = {
  /** An option is missing, malformed or names a file that cannot be read. */
  INVALID_OPTION: 'DELTAV_HTTP_INVALID_OPTION',
  /** The response status is not accepted; the error carries `statusCode`. */
  STATUS: 'DELTAV_HTTP_STATUS',
  /** A connect, headers, body or total timeout expired. */
  TIMEOUT: 'DELTAV_HTTP_TIMEOUT',
  /** The connection failed, was reset or closed before the response was complete. */
  NETWORK: 'DELTAV_HTTP_NETWORK',
  /** The body, as received or decoded, is larger than `maxBodyBytes`. */
  BODY_TOO_LARGE: 'DELTAV_HTTP_BODY_TOO_LARGE',
  /** The body is not valid for its `content-encoding`, or the encoding is unsupported. */
  DECODE: 'DELTAV_HTTP_DECODE',
  /** A redirect leads back to a URL already requested in this fetch. */
  REDIRECT_LOOP: 'DELTAV_HTTP_REDIRECT_LOOP',
  /** More redirects than `maxRedirects`. */
  TOO_MANY_REDIRECTS: 'DELTAV_HTTP_TOO_MANY_REDIRECTS',
  /** A redirect `Location` is not a valid `http:` or `https:` URL. */
  INVALID_REDIRECT: 'DELTAV_HTTP_INVALID_REDIRECT',
  /** A password or token file cannot be read or is empty. */
  CREDENTIALS: 'DELTAV_HTTP_CREDENTIALS',
  /** `fetch()` was called after `close()`. */
  CLOSED: 'DELTAV_HTTP_CLOSED',
} as const;

/** A response with a status outside `acceptedStatuses`. */
export class HttpStatusError extends DeltavError {
  /** The response status code. */
  readonly statusCode: number;

  constructor(statusCode: number, message: string, options: DeltavErrorOptions = {}) {
    super(HttpErrorCodes.STATUS, message, options);
    this.name = 'HttpStatusError';
    this.statusCode = statusCode;
  }
}
