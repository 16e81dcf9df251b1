import { DeltavError, ErrorCodes } from './errors.js';
import { describe } from './payload.js';

/** The largest delay, in milliseconds, that deltav accepts for intervals and timeouts: one year. */
export const MAX_DURATION_MS = 365 * 24 * 60 * 60 * 1000;

/** Checks that a duration option is a finite number of milliseconds within bounds. */
export function checkDuration(owner: string, option: string, value: unknown, { min = 1, max = MAX_DURATION_MS } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DeltavError(
      ErrorCodes.INVALID_OPTION,
      `${owner}: invalid ${option}: expected a finite number of milliseconds, received ${describe(value)}.`,
    );
  }
  if (value < min || value > max) {
    throw new DeltavError(
      ErrorCodes.INVALID_OPTION,
      `${owner}: invalid ${option}: ${value} ms is outside the accepted range ${min} to ${max} ms. Pass a value in milliseconds within that range.`,
    );
  }
  return value;
}

/** Checks that a callback option is a function. */
export function checkFunction<T>(owner: string, option: string, value: T): T {
  if (typeof value !== 'function') {
    throw new DeltavError(ErrorCodes.INVALID_OPTION, `${owner}: invalid ${option}: expected a function, received ${describe(value)}.`);
  }
  return value;
}
