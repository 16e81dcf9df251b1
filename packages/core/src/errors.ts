const kDeltavError = Symbol.for('deltav.error');

/** Stable codes of the errors that `@deltav/core` raises. Match on these, not on classes. */
export const ErrorCodes = {
  INVALID_OPTION: 'DELTAV_INVALID_OPTION',
  INVALID_PAYLOAD: 'DELTAV_INVALID_PAYLOAD',
  DUPLICATE_PIPELINE: 'DELTAV_DUPLICATE_PIPELINE',
  PIPELINE_NOT_FOUND: 'DELTAV_PIPELINE_NOT_FOUND',
  RUN_TIMEOUT: 'DELTAV_RUN_TIMEOUT',
  RUN_ABORTED: 'DELTAV_RUN_ABORTED',
  SCHEDULER_STOPPED: 'DELTAV_SCHEDULER_STOPPED',
  HOOK_TIMEOUT: 'DELTAV_HOOK_TIMEOUT',
  INVALID_PLUGIN: 'DELTAV_INVALID_PLUGIN',
  STATE_IO: 'DELTAV_STATE_IO',
  BODY_CONSUMED: 'DELTAV_BODY_CONSUMED',
} as const;

export interface DeltavErrorOptions {
  cause?: unknown;
  /** Whether the scheduler may try the failed stage again. */
  retryable?: boolean;
  /** Server or plugin hint for the earliest useful retry, in milliseconds. */
  retryAfterMs?: number;
}

/**
 * Base class of every deltav error. `instanceof` works across duplicate copies of the
 * package because it checks a global symbol brand, but callers should match on `code`.
 */
export class DeltavError extends Error {
  readonly code: string;
  retryable: boolean;
  retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: DeltavErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeltavError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    Object.defineProperty(this, kDeltavError, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kDeltavError] === true;
  }
}

/** Tests whether a value is an error raised by any copy of deltav, or shaped like one. */
export function isDeltavError(value: unknown): value is DeltavError {
  return value instanceof DeltavError;
}

/**
 * Marks an error as retryable, with an optional retry-after hint in milliseconds.
 * The mark is a plain property, so every copy of `@deltav/core` reads it the same way.
 */
export function markRetryable<E extends object>(error: E, retryAfterMs?: number): E & { retryable: true } {
  const marked = error as E & { retryable: true; retryAfterMs?: number };
  marked.retryable = true;
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    marked.retryAfterMs = retryAfterMs;
  }
  return marked;
}

/** Tests whether an error carries the retryable mark. */
export function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;
}

/** Reads the retry-after hint of an error, in milliseconds, when it has a valid one. */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const hint = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof hint === 'number' && Number.isFinite(hint) && hint >= 0 ? hint : undefined;
}

/** Reads the string `code` of any error, or `undefined` when it has none. */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Converts any thrown value into an `Error`, keeping the original as `cause`. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(`Non-error value thrown: ${String(value)}`, { cause: value });
}
