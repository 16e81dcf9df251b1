import { tmpdir } from 'node:os';
import type { Destination, Source } from './contracts.js';
import { DeltavError, ErrorCodes } from './errors.js';
import type { RunStage } from './events.js';
import { describe } from './payload.js';
import type { SpoolOptions } from './payload-internals.js';
import { DEFAULT_RETRY, resolveRetry, type RetryOptions, type RetryPolicy } from './retry.js';
import { CronSchedule, IntervalSchedule, type Schedule } from './schedule.js';
import { checkDuration, checkFunction } from './validate.js';

/** A cleanup callback that runs once when the pipeline is stopped. */
export type ShutdownHook = () => Promise<void> | void;

/**
 * The policy for a slot that finds the previous run still in flight. `skip` counts the
 * slot as skipped. `queue` starts one run as soon as the current one ends, and never more
 * than one waits. `overlap` starts another run, up to `maxConcurrency` at once.
 */
export type OverrunPolicy = 'skip' | 'queue' | 'overlap';

/** Pipeline names: letters, digits, `_`, `-`, `.` and `:`, so they are safe in labels, logs and paths. */
const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/;
/** The longest accepted run timeout: one day. */
const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;
const OVERRUN_POLICIES: readonly OverrunPolicy[] = ['skip', 'queue', 'overlap'];

let unnamedCount = 0;

/** Settings of a pipeline; each one also has a chained setter. */
export interface PipelineOptions {
  /**
   * The pipeline name, unique within a scheduler.
   * @default "pipeline_N", numbered in creation order
   */
  name?: string;
  /**
   * Time between scheduled runs, in milliseconds. Ignored when `cron` is set.
   * @default 60000
   */
  intervalMs?: number;
  /** A cron expression (five or six fields) that replaces the interval. */
  cron?: string;
  /**
   * IANA time zone of the cron expression.
   * @default "UTC"
   */
  timezone?: string;
  /**
   * Whether a run starts as soon as the scheduler starts, before the first slot.
   * @default true for intervals, false for cron
   */
  runAtStart?: boolean;
  /**
   * Puts interval slots on multiples of the interval since the Unix epoch (such as :00,
   * :05, :10 for 5 minutes) instead of counting from the start.
   * @default false
   */
  align?: boolean;
  /**
   * Upper bound of a random delay added to each slot, in milliseconds, to spread load.
   * @default 0
   */
  jitterMs?: number;
  /**
   * Maximum duration of one run, retries included, in milliseconds.
   * @default 60000
   */
  timeoutMs?: number;
  /**
   * The policy for a slot that finds the previous run still in flight.
   * @default "skip"
   */
  overrun?: OverrunPolicy;
  /**
   * With `overrun: "overlap"`, the most runs in flight at once.
   * @default 2
   */
  maxConcurrency?: number;
  /** Retry policy of both stages; see `RetryOptions` for the defaults. */
  retry?: RetryOptions;
  /**
   * Logs a bounded preview of each payload at debug level.
   * @default false
   */
  debugPayload?: boolean;
  /**
   * Copies streamed bodies to a temp file in this folder as they flow, so a destination
   * retry can replay them. Without it, a streamed body that a failed write already read
   * is not retried, and the run fails.
   * @default undefined (no spooling)
   */
  streamSpoolDir?: string;
}

/** A source and a destination joined under a name and a schedule. */
export class Pipeline {
  readonly source: Source;
  readonly destination: Destination;
  #name: string;
  #intervalMs = 60_000;
  #cron: { expression: string; timezone: string } | undefined;
  #runAtStart: boolean | undefined;
  #align = false;
  #jitterMs = 0;
  #timeoutMs = 60_000;
  #overrun: OverrunPolicy = 'skip';
  #maxConcurrency = 2;
  readonly #retry: Record<RunStage, RetryPolicy> = { source: DEFAULT_RETRY, destination: DEFAULT_RETRY };
  #debugPayload = false;
  #streamSpool: SpoolOptions | undefined;
  #schedule: Schedule | undefined;
  readonly #shutdownHooks: ShutdownHook[] = [];

  constructor(source: Source, destination: Destination, options: PipelineOptions = {}) {
    if (typeof source !== 'object' || source === null || typeof source.fetch !== 'function') {
      throw new DeltavError(
        ErrorCodes.INVALID_OPTION,
        `Pipeline: invalid source: expected an object with a fetch(context) method, received ${describe(source)}.`,
      );
    }
    if (typeof destination !== 'object' || destination === null || typeof destination.write !== 'function') {
      throw new DeltavError(
        ErrorCodes.INVALID_OPTION,
        `Pipeline: invalid destination: expected an object with a write(payload, context) method, received ${describe(destination)}.`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `Pipeline: invalid options: expected an object, received ${describe(options)}.`);
    }

    this.source = source;
    this.destination = destination;
    this.#name = `pipeline_${++unnamedCount}`;
    this.#apply(options);
  }

  get name(): string {
    return this.#name;
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** The cron expression and time zone, when the pipeline runs on cron. */
  get cron(): { expression: string; timezone: string } | undefined {
    return this.#cron;
  }

  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  get jitterMs(): number {
    return this.#jitterMs;
  }

  get overrun(): OverrunPolicy {
    return this.#overrun;
  }

  get maxConcurrency(): number {
    return this.#maxConcurrency;
  }

  get debugPayload(): boolean {
    return this.#debugPayload;
  }

  /** The spool settings of streamed bodies, or `undefined` when they are not spooled. */
  get streamSpool(): SpoolOptions | undefined {
    return this.#streamSpool;
  }

  /** Returns the retry policy of a stage. */
  retryPolicy(stage: RunStage): RetryPolicy {
    return this.#retry[stage];
  }

  /** The schedule built from the current settings. */
  get schedule(): Schedule {
    this.#schedule ??= this.#cron === undefined
      ? new IntervalSchedule({ intervalMs: this.#intervalMs, align: this.#align, runAtStart: this.#runAtStart ?? true })
      : new CronSchedule({ expression: this.#cron.expression, timezone: this.#cron.timezone, runAtStart: this.#runAtStart ?? false });
    return this.#schedule;
  }

  /** The registered shutdown hooks, in registration order. */
  get shutdownHooks(): readonly ShutdownHook[] {
    return this.#shutdownHooks;
  }

  /** Sets the name used in logs, metrics labels and scheduler lookups. */
  setName(name: string): this {
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      throw new DeltavError(
        ErrorCodes.INVALID_OPTION,
        `Pipeline: invalid name ${describe(name)}: use 1 to 128 letters, digits, "_", "-", "." or ":", starting with a letter, digit or "_".`,
      );
    }
    this.#name = name;
    return this;
  }

  /** Runs the pipeline every `intervalMs` milliseconds, replacing any cron schedule. */
  setInterval(intervalMs: number): this {
    this.#intervalMs = checkDuration(this.#owner(), 'interval', intervalMs);
    this.#cron = undefined;
    this.#schedule = undefined;
    return this;
  }

  /**
   * Runs the pipeline on a cron expression in a time zone (default UTC), replacing the
   * interval. The expression is checked now, so a bad one fails here.
   */
  setSchedule(expression: string, options: { timezone?: string } = {}): this {
    const timezone = options.timezone ?? 'UTC';
    // Built once to validate; rebuilt lazily with the other settings.
    new CronSchedule({ expression, timezone, runAtStart: false });
    this.#cron = { expression, timezone };
    this.#schedule = undefined;
    return this;
  }

  /** Sets whether a run starts as soon as the scheduler starts. */
  setRunAtStart(enabled: boolean): this {
    this.#runAtStart = this.#checkBoolean('runAtStart', enabled);
    this.#schedule = undefined;
    return this;
  }

  /** Puts interval slots on multiples of the interval since the Unix epoch. */
  alignToInterval(enabled = true): this {
    this.#align = this.#checkBoolean('align', enabled);
    this.#schedule = undefined;
    return this;
  }

  /** Adds a random delay of up to `jitterMs` milliseconds to each slot. */
  setJitter(jitterMs: number): this {
    this.#jitterMs = checkDuration(this.#owner(), 'jitter', jitterMs, { min: 0 });
    return this;
  }

  /** Sets the maximum duration of one run, retries included, in milliseconds. */
  setTimeout(timeoutMs: number): this {
    this.#timeoutMs = checkDuration(this.#owner(), 'timeout', timeoutMs, { max: MAX_TIMEOUT_MS });
    return this;
  }

  /** Sets what a slot does while the previous run is still in flight. */
  setOverrun(policy: OverrunPolicy, options: { maxConcurrency?: number } = {}): this {
    if (!OVERRUN_POLICIES.includes(policy)) {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `${this.#owner()}: invalid overrun ${describe(policy)}: expected "skip", "queue" or "overlap".`);
    }
    const max = options.maxConcurrency ?? this.#maxConcurrency;
    if (!Number.isInteger(max) || max < 1 || max > 1000) {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `${this.#owner()}: invalid maxConcurrency ${describe(max)}: expected an integer from 1 to 1000.`);
    }
    this.#overrun = policy;
    this.#maxConcurrency = max;
    return this;
  }

  /** Sets the retry policy of one stage, or of both when `stage` is omitted. */
  setRetry(options: RetryOptions, stage?: RunStage): this {
    if (stage !== undefined && stage !== 'source' && stage !== 'destination') {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `${this.#owner()}: invalid retry stage ${describe(stage)}: expected "source" or "destination".`);
    }
    for (const target of stage === undefined ? (['source', 'destination'] as const) : [stage]) {
      this.#retry[target] = resolveRetry(this.#owner(), options, this.#retry[target]);
    }
    return this;
  }

  /** Turns on or off the debug-level log of a bounded preview of each payload. */
  enableDebugPayload(enabled = true): this {
    this.#debugPayload = this.#checkBoolean('debugPayload', enabled);
    return this;
  }

  /**
   * Spools streamed bodies to temp files in `dir` (default: the system temp folder) so a
   * destination retry can replay them, or turns spooling off.
   */
  setStreamSpool(enabled: boolean, options: { dir?: string } = {}): this {
    this.#checkBoolean('streamSpool', enabled);
    if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `${this.#owner()}: invalid spool dir ${describe(options.dir)}: expected a folder path.`);
    }
    this.#streamSpool = enabled ? { dir: options.dir ?? tmpdir() } : undefined;
    return this;
  }

  /** Registers a callback that runs once when the scheduler stops or removes this pipeline. */
  onShutdown(hook: ShutdownHook): this {
    this.#shutdownHooks.push(checkFunction(this.#owner(), 'onShutdown hook', hook));
    return this;
  }

  #apply(options: PipelineOptions): void {
    if (options.name !== undefined) this.setName(options.name);
    if (options.intervalMs !== undefined) this.setInterval(options.intervalMs);
    if (options.cron !== undefined) this.setSchedule(options.cron, options.timezone === undefined ? {} : { timezone: options.timezone });
    else if (options.timezone !== undefined) {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `${this.#owner()}: timezone is set without cron. Set cron too, or remove timezone.`);
    }
    if (options.runAtStart !== undefined) this.setRunAtStart(options.runAtStart);
    if (options.align !== undefined) this.alignToInterval(options.align);
    if (options.jitterMs !== undefined) this.setJitter(options.jitterMs);
    if (options.timeoutMs !== undefined) this.setTimeout(options.timeoutMs);
    if (options.overrun !== undefined || options.maxConcurrency !== undefined) {
      this.setOverrun(options.overrun ?? this.#overrun, options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency });
    }
    if (options.retry !== undefined) this.setRetry(options.retry);
    if (options.debugPayload !== undefined) this.enableDebugPayload(options.debugPayload);
    if (options.streamSpoolDir !== undefined) this.setStreamSpool(true, { dir: options.streamSpoolDir });
  }

  #checkBoolean(option: string, value: unknown): boolean {
    if (typeof value !== 'boolean') {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `${this.#owner()}: invalid ${option}: expected a boolean, received ${describe(value)}.`);
    }
    return value;
  }

  #owner(): string {
    return `Pipeline "${this.#name}"`;
  }
}
