import { delay, raceSignal } from './abort.js';
import { DeltavError, ErrorCodes } from './errors.js';
import { describe, type PayloadInit } from './payload.js';

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as the signal
 * fires, so a run timeout keeps its `DELTAV_RUN_TIMEOUT` code. The timer is cleared on
 * abort, so an aborted wait leaves nothing behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    return Promise.reject(
      new DeltavError(ErrorCodes.INVALID_OPTION, `sleep: invalid ms: expected a finite number of milliseconds >= 0, received ${describe(ms)}.`),
    );
  }
  return delay(ms, signal);
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as the signal fires.
 * Wrap a call that takes no signal of its own with it. The work itself keeps running
 * after an abort, and its late rejection is swallowed so it never becomes an unhandled
 * rejection.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return raceSignal(work, signal);
}

/**
 * Builds a source result from a JSON value: the UTF-8 text of `JSON.stringify(value)`
 * with the `application/json` content type.
 */
export function jsonPayload(value: unknown, metadata?: Record<string, string>): PayloadInit {
  const body = JSON.stringify(value);
  if (body === undefined) {
    throw new DeltavError(ErrorCodes.INVALID_PAYLOAD, `jsonPayload: ${describe(value)} has no JSON form. Pass an object, array, string, number, boolean or null.`);
  }
  return { body, contentType: 'application/json', ...(metadata === undefined ? {} : { metadata }) };
}
