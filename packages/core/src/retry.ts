import { isRetryable, retryAfterOf } from './errors.js';
import { checkDuration } from './validate.js';
import { DeltavError, ErrorCodes } from './errors.js';
import { describe } from './payload.js';

/** The retry settings of a stage. */
export interface RetryOptions {
  /**
   * Attempts per stage and run, the first included; 1 turns retries off.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Upper bound of the first backoff delay, in milliseconds.
   * @default 500
   */
  initialDelayMs?: number;
  /**
   * Upper bound of any backoff delay, in milliseconds.
   * @default 30000
   */
  maxDelayMs?: number;
  /**
   * Growth of the delay bound per attempt.
   * @default 2
   */
  multiplier?: number;
  /**
   * No retry starts later than this after the stage's first attempt, in milliseconds.
   * @default 60000
   */
  maxElapsedMs?: number;
  /**
   * Maximum retry-after hint honoured, in milliseconds. A longer hint waits this long.
   * @default 60000
   */
  retryAfterCapMs?: number;
}

export type RetryPolicy = Readonly<Required<RetryOptions>>;

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  maxElapsedMs: 60_000,
  retryAfterCapMs: 60_000,
});

/** Validates retry options over a base policy and returns the merged policy. */
export function resolveRetry(owner: string, options: RetryOptions, base: RetryPolicy = DEFAULT_RETRY): RetryPolicy {
  if (typeof options !== 'object' || options === null) {
    throw new DeltavError(ErrorCodes.INVALID_OPTION, `${owner}: invalid retry options: expected an object, received ${describe(options)}.`);
  }
  const merged = { ...base, ...definedOnly(options) };
  const { maxAttempts, multiplier } = merged;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
    throw new DeltavError(ErrorCodes.INVALID_OPTION, `${owner}: invalid retry.maxAttempts ${describe(maxAttempts)}: expected an integer from 1 to 100 (1 turns retries off).`);
  }
  if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 1 || multiplier > 100) {
    throw new DeltavError(ErrorCodes.INVALID_OPTION, `${owner}: invalid retry.multiplier ${describe(multiplier)}: expected a number from 1 to 100.`);
  }
  checkDuration(owner, 'retry.initialDelayMs', merged.initialDelayMs, { min: 0 });
  checkDuration(owner, 'retry.maxDelayMs', merged.maxDelayMs, { min: 0 });
  checkDuration(owner, 'retry.maxElapsedMs', merged.maxElapsedMs, { min: 0 });
  checkDuration(owner, 'retry.retryAfterCapMs', merged.retryAfterCapMs, { min: 0 });
  return Object.freeze(merged);
}

/**
 * Returns the wait before the next attempt, or `undefined` when the failure is final:
 * not retryable, out of attempts, or past the elapsed-time budget or the run deadline.
 * The wait is exponential backoff with full jitter, raised to a retry-after hint capped
 * at `retryAfterCapMs`.
 */
export function nextRetryDelay(
  policy: RetryPolicy,
  error: unknown,
  attempt: number,
  elapsedMs: number,
  remainingMs: number,
  random: () => number = Math.random,
): number | undefined {
  if (!isRetryable(error) || attempt >= policy.maxAttempts) return undefined;

  const bound = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
  let delay = random() * bound;
  const hint = retryAfterOf(error);
  if (hint !== undefined) delay = Math.max(delay, Math.min(hint, policy.retryAfterCapMs));

  if (elapsedMs + delay > policy.maxElapsedMs) return undefined;
  if (delay >= remainingMs) return undefined;
  return delay;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
