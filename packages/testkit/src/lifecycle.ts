import { DeltavError, ErrorCodes, isRetryable } from '@deltav/core';
import { expectResolves, settleWithin, type Settled } from './bounds.js';
import { ConformanceError, describeError } from './errors.js';

/** Something with the optional `close()` of sources and destinations. */
export interface Closable {
  close?(): Promise<void> | void;
}

/** Creates an abort reason that the checks can recognize again, coded like the scheduler's. */
export function abortReason(what: string): DeltavError {
  return new DeltavError(ErrorCodes.RUN_ABORTED, `aborted by the conformance check ${what}`);
}

/** Tests whether a rejection reports the abort: the signal's reason itself, wrapped as `cause`, or an `AbortError`. */
export function isAbortRejection(error: unknown, reason: unknown): boolean {
  if (error === reason) return true;
  if (typeof error !== 'object' || error === null) return false;
  return (error as { cause?: unknown }).cause === reason || (error as { name?: unknown }).name === 'AbortError';
}

/** Fails `check` unless `outcome` is a rejection that reports the abort. */
export function expectAbortRejection(check: string, call: string, outcome: Settled<unknown>, reason: unknown, withinMs: number, when: string): void {
  if (outcome.status === 'pending') {
    throw new ConformanceError(
      check,
      `${call} was still pending ${withinMs} ms after its signal ${when}. Pass context.signal to every I/O call, check signal.throwIfAborted() before starting, or wrap a call that takes no signal with abortable(promise, signal) from @deltav/core.`,
    );
  }
  if (outcome.status === 'fulfilled') {
    throw new ConformanceError(check, `${call} resolved although its signal ${when}. Reject with context.signal.reason once the signal aborted.`);
  }
  if (!isAbortRejection(outcome.reason, reason)) {
    throw new ConformanceError(
      check,
      `${call} rejected with ${describeError(outcome.reason)} instead of the signal's reason after its signal ${when}. Rethrow context.signal.reason when the signal aborted, so the scheduler reports a timeout or shutdown rather than a failure.`,
      { cause: outcome.reason },
    );
  }
}

/** Fails `check` unless `outcome` is a rejection marked retryable with a valid retry-after hint. */
export function expectRetryableRejection(check: string, call: string, outcome: Settled<unknown>, timeoutMs: number): void {
  if (outcome.status === 'pending') throw new ConformanceError(check, `${call} did not settle within ${timeoutMs} ms in the transientFailure scenario.`);
  if (outcome.status === 'fulfilled') {
    throw new ConformanceError(check, `${call} resolved in the transientFailure scenario; that scenario must make it reject with a transient failure.`);
  }

  const error = outcome.reason;
  if (!(error instanceof Error)) {
    throw new ConformanceError(check, `${call} rejected with ${describeError(error)}; throw an Error so the scheduler can log its message and code.`);
  }
  if (!isRetryable(error)) {
    throw new ConformanceError(
      check,
      `${call} failed with ${describeError(error)}, but the error is not marked retryable. Mark transient failures with markRetryable(error, retryAfterMs) from @deltav/core, or throw new DeltavError(code, message, { retryable: true }).`,
      { cause: error },
    );
  }
  const hint = (error as { retryAfterMs?: unknown }).retryAfterMs;
  if (hint !== undefined && (typeof hint !== 'number' || !Number.isFinite(hint) || hint < 0)) {
    throw new ConformanceError(check, `${call} marked its error retryable with retryAfterMs ${String(hint)}; expected a finite number of milliseconds >= 0, or no hint.`);
  }
}

/** Calls `close()` twice; fails `check` when either call throws or hangs. */
export async function expectIdempotentClose(check: string, plugin: Closable, timeoutMs: number, when: string): Promise<void> {
  if (typeof plugin.close !== 'function') return;
  await expectResolves(check, `the first close() ${when}`, () => plugin.close!(), timeoutMs, ' close() must succeed whether or not the plugin was used.');
  await expectResolves(check, `the second close() ${when}`, () => plugin.close!(), timeoutMs, ' close() must be idempotent: return at once when already closed.');
}

/** Closes a plugin after a check, bounded, ignoring errors: other checks report them. */
export async function closeQuietly(plugin: Closable, timeoutMs: number): Promise<void> {
  if (typeof plugin.close !== 'function') return;
  try {
    await settleWithin(plugin.close(), timeoutMs);
  } catch {
    // A synchronous throw from close() is the close checks' finding, not this one's.
  }
}

/** Resolves once `started` resolves, or after a short pause when the scenario gives none. */
export async function waitUntilStarted(check: string, started: Promise<unknown> | undefined, timeoutMs: number): Promise<void> {
  if (started === undefined) {
    // NOTE: without a `started` promise the kit cannot know when the call is under way; 50 ms suits in-process fakes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return;
  }
  const outcome = await settleWithin(started, timeoutMs);
  if (outcome.status !== 'fulfilled') {
    throw new ConformanceError(check, `the stalled scenario's started promise did not resolve within ${timeoutMs} ms; it must resolve once the call is under way.`);
  }
}

/**
 * Marks `work` as observed, so a rejection that arrives while a check waits for something
 * else is not reported as unhandled. The check still awaits `work` afterwards.
 */
export function observed<T>(work: Promise<T>): Promise<T> {
  work.catch(() => {});
  return work;
}
