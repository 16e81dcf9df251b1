import { ConformanceError, describeError } from './errors.js';

/** Time limits of the checks. */
export interface CheckBounds {
  /**
   * How long a fetch or write may take to reject once its signal aborted, in milliseconds.
   * @default 1000
   */
  abortWithinMs?: number;
  /**
   * How long any other call (create, fetch, write, close) may take, in milliseconds.
   * @default 3000
   */
  callTimeoutMs?: number;
  /**
   * How long sockets and timers may take to close after `close()` resolved, in milliseconds.
   * @default 2000
   */
  settleMs?: number;
}

export const DEFAULT_BOUNDS: Required<CheckBounds> = { abortWithinMs: 1000, callTimeoutMs: 3000, settleMs: 2000 };

/** Fills the bounds that `options` leaves out, or sets to `undefined`, with their defaults. */
export function withBounds<Options extends CheckBounds>(options: Options): Options & Required<CheckBounds> {
  return {
    ...options,
    abortWithinMs: options.abortWithinMs ?? DEFAULT_BOUNDS.abortWithinMs,
    callTimeoutMs: options.callTimeoutMs ?? DEFAULT_BOUNDS.callTimeoutMs,
    settleMs: options.settleMs ?? DEFAULT_BOUNDS.settleMs,
  };
}

/** The outcome of a call that had to settle within a bound. */
export type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown } | { status: 'pending' };

/** Waits for `work` for at most `ms` milliseconds; a late rejection is swallowed. */
export async function settleWithin<T>(work: Promise<T> | T, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'pending' }), ms);
  });
  const settled = Promise.resolve(work).then(
    (value): Settled<T> => ({ status: 'fulfilled', value }),
    (reason: unknown): Settled<T> => ({ status: 'rejected', reason }),
  );
  try {
    return await Promise.race([settled, pending]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `fn` and returns its value; fails the check when it throws or takes longer than `ms`, appending `hint` to the message. */
export async function expectResolves<T>(check: string, what: string, fn: () => Promise<T> | T, ms: number, hint = ''): Promise<T> {
  let started: Promise<T> | T;
  try {
    started = fn();
  } catch (error) {
    started = Promise.reject(error);
  }
  const outcome = await settleWithin(started, ms);
  if (outcome.status === 'pending') throw new ConformanceError(check, `${what} did not settle within ${ms} ms.${hint}`);
  if (outcome.status === 'rejected') throw new ConformanceError(check, `${what} failed with ${describeError(outcome.reason)}.${hint}`, { cause: outcome.reason });
  return outcome.value;
}

