/**
 * The bounded values of the `kind` label of `deltav_pipeline_errors_total`. Error messages
 * and codes are never labels, because they are unbounded.
 */
export const ERROR_KINDS = ['timeout', 'network', 'http_4xx', 'http_5xx', 'io', 'other'] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Socket-level errno codes that mean the peer or the route failed, not the local disk. */
const NETWORK_ERRNO_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
]);

/** Node.js errno codes, such as `ENOSPC` or `EACCES`; `ERR_*` codes have an underscore and do not match. */
const ERRNO_CODE = /^E[A-Z0-9]{2,}$/;

/** How many `cause` links are followed when the outer errors carry no known code. */
const MAX_CAUSE_DEPTH = 4;

/**
 * Classifies an error into a bounded kind, from its string `code` (and `statusCode` for
 * `DELTAV_HTTP_STATUS`) or its `name`:
 * - `timeout`: a code ending in `_TIMEOUT`, `ETIMEDOUT`, or the name `TimeoutError`;
 * - `network`: `DELTAV_HTTP_NETWORK`, an undici `UND_ERR_*` code, or a socket errno code
 *   such as `ECONNREFUSED`;
 * - `http_4xx` and `http_5xx`: `DELTAV_HTTP_STATUS` with a status code of that class;
 * - `io`: a `DELTAV_FILE_*` code or any other errno code, such as `ENOSPC`;
 * - `other`: everything else.
 * When an error's own code matches none of these, its `cause` chain is searched.
 */
export function errorKind(error: unknown): ErrorKind {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== 'object' || current === null) break;

    const kind = ownKind(current as ErrorFields);
    if (kind !== undefined) return kind;
    current = (current as ErrorFields).cause;
  }
  return 'other';
}

interface ErrorFields {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  cause?: unknown;
}

function ownKind(error: ErrorFields): ErrorKind | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (error.name === 'TimeoutError' || code === 'ETIMEDOUT' || code?.endsWith('_TIMEOUT') === true) return 'timeout';
  if (code === undefined) return undefined;

  if (code === 'DELTAV_HTTP_NETWORK' || code.startsWith('UND_ERR_') || NETWORK_ERRNO_CODES.has(code)) return 'network';
  if (code === 'DELTAV_HTTP_STATUS') return statusKind(error.statusCode);
  if (code.startsWith('DELTAV_FILE_') || ERRNO_CODE.test(code)) return 'io';
  return undefined;
}

function statusKind(statusCode: unknown): ErrorKind {
  if (typeof statusCode !== 'number') return 'other';
  if (statusCode >= 400 && statusCode < 500) return 'http_4xx';
  if (statusCode >= 500 && statusCode < 600) return 'http_5xx';
  return 'other';
}
