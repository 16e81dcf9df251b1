import { Cron } from 'croner';
import { DeltavError, ErrorCodes } from './errors.js';
import { describe } from './payload.js';

/**
 * The times a pipeline runs. Interval schedules count on the monotonic clock
 * (`performance.now()`), so wall-clock jumps do not move them. Cron schedules count on
 * the wall clock (`Date.now()`), because their slots are wall-clock times.
 */
export interface Schedule {
  readonly clock: 'monotonic' | 'wall';
  /** Whether a run starts as soon as the schedule starts, before the first slot. */
  readonly runAtStart: boolean;
  /** The first slot after a start at `now`, in this schedule's clock. */
  first(now: number, wallNow: number): number;
  /**
   * The first slot after `previous` that is later than `now`, how many slots between them
   * were passed over, and the times of the first of those (at most `MAX_REPORTED_MISSES`).
   */
  after(previous: number, now: number): { next: number; missed: number; missedSlots: number[] };
  /** A short text for logs, such as `every 30000 ms` or `cron "0 * * * *" in UTC`. */
  describe(): string;
}

/** How many passed-over slots `after` lists by time; the count is always exact. */
export const MAX_REPORTED_MISSES = 100;

export interface IntervalScheduleOptions {
  intervalMs: number;
  /** Puts slots on multiples of the interval since the Unix epoch, such as :00 and :05 for 5 minutes. */
  align: boolean;
  runAtStart: boolean;
}

/** Slots every `intervalMs`, counted from the start, or from the epoch when aligned. */
export class IntervalSchedule implements Schedule {
  readonly clock = 'monotonic';
  readonly intervalMs: number;
  readonly align: boolean;
  readonly runAtStart: boolean;

  constructor(options: IntervalScheduleOptions) {
    this.intervalMs = options.intervalMs;
    this.align = options.align;
    this.runAtStart = options.runAtStart;
  }

  first(now: number, wallNow: number): number {
    if (this.align) {
      const boundary = Math.ceil(wallNow / this.intervalMs) * this.intervalMs;
      return now + (boundary - wallNow);
    }
    // A run at start, when enabled, takes the place of a slot at `now`.
    return now + this.intervalMs;
  }

  after(previous: number, now: number): { next: number; missed: number; missedSlots: number[] } {
    const next = previous + this.intervalMs;
    if (next > now) return { next, missed: 0, missedSlots: [] };
    const missed = Math.floor((now - next) / this.intervalMs) + 1;
    const missedSlots = Array.from({ length: Math.min(missed, MAX_REPORTED_MISSES) }, (_unused, index) => next + index * this.intervalMs);
    return { next: next + missed * this.intervalMs, missed, missedSlots };
  }

  describe(): string {
    return `every ${this.intervalMs} ms${this.align ? ', aligned' : ''}`;
  }
}

export interface CronScheduleOptions {
  expression: string;
  /** An IANA time zone such as `Europe/Berlin`. @default "UTC" */
  timezone: string;
  runAtStart: boolean;
}

/** How many slots `after` steps over at most when the process slept through many. */
const MAX_MISSED_SCAN = 10_000;

/**
 * Slots from a cron expression in a time zone, through croner. Each wall-clock slot runs
 * at most once: when clocks fall back and a local time repeats, its second occurrence is
 * passed over, so slots always move forward in local time as well as in absolute time.
 */
export class CronSchedule implements Schedule {
  readonly clock = 'wall';
  readonly expression: string;
  readonly timezone: string;
  readonly runAtStart: boolean;
  readonly #cron: Cron;
  readonly #localTime: Intl.DateTimeFormat;

  constructor(options: CronScheduleOptions) {
    this.expression = options.expression;
    this.timezone = checkTimezone(options.timezone);
    this.runAtStart = options.runAtStart;
    try {
      this.#cron = new Cron(options.expression, { timezone: this.timezone });
    } catch (error) {
      throw new DeltavError(
        ErrorCodes.INVALID_OPTION,
        `Invalid cron expression ${describe(options.expression)}: ${(error as Error).message}. Use five or six fields, such as "*/5 * * * *" for every 5 minutes.`,
        { cause: error },
      );
    }
    if (this.#cron.nextRun() === null) {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `Cron expression ${describe(options.expression)} never matches a future time. Check its day and month fields.`);
    }
    this.#localTime = new Intl.DateTimeFormat('en-CA', {
      timeZone: this.timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  first(_now: number, wallNow: number): number {
    return this.#nextAfter(wallNow, undefined);
  }

  after(previous: number, now: number): { next: number; missed: number; missedSlots: number[] } {
    const missedSlots: number[] = [];
    let missed = 0;
    let next = this.#nextAfter(previous, previous);
    while (next <= now && missed < MAX_MISSED_SCAN) {
      missed++;
      if (missedSlots.length < MAX_REPORTED_MISSES) missedSlots.push(next);
      next = this.#nextAfter(next, next);
    }
    if (next <= now) next = this.#nextAfter(now, previous);
    return { next, missed, missedSlots };
  }

  describe(): string {
    return `cron "${this.expression}" in ${this.timezone}`;
  }

  /** The next match after `from` whose local time is later than that of `previous`. */
  #nextAfter(from: number, previous: number | undefined): number {
    const previousLocal = previous === undefined ? undefined : this.#localTime.format(previous);
    let candidate = this.#cron.nextRun(new Date(from));
    // A repeated local hour yields matches whose local time is not later than the previous slot.
    while (candidate !== null && previousLocal !== undefined && this.#localTime.format(candidate) <= previousLocal) {
      candidate = this.#cron.nextRun(candidate);
    }
    return candidate === null ? Number.POSITIVE_INFINITY : candidate.getTime();
  }
}

function checkTimezone(timezone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return timezone;
  } catch {
    throw new DeltavError(
      ErrorCodes.INVALID_OPTION,
      `Invalid time zone ${describe(timezone)}: expected an IANA name such as "UTC", "Europe/Berlin" or "America/New_York".`,
    );
  }
}
