import { callAsync } from './abort.js';
import { DeltavError, ErrorCodes, toError } from './errors.js';
import { EventHub, type Listener, type RunFinishedEvent, type SchedulerEvents } from './events.js';
import { silentLogger, type Logger } from './logger.js';
import { describe } from './payload.js';
import { Pipeline } from './pipeline.js';
import { RunControl } from './run-control.js';
import { executeRun } from './run.js';
import { MAX_REPORTED_MISSES } from './schedule.js';
import { memoryStateStores, type StateStoreFactory } from './state.js';
import { checkDuration } from './validate.js';

/** Node.js timers overflow above 2^31-1 ms and fire at once, so longer waits are split. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SchedulerOptions {
  /**
   * A pino-compatible logger; each run logs through a child bound to pipeline and run id.
   * @default a logger that discards everything
   */
  logger?: Logger;
  /**
   * How long `stop()` lets in-flight runs finish before aborting them, in milliseconds.
   * @default 10000
   */
  shutdownTimeoutMs?: number;
  /**
   * Maximum duration of each shutdown hook and each plugin `close()`, in milliseconds.
   * @default 5000
   */
  hookTimeoutMs?: number;
  /**
   * Gives each pipeline its state store.
   * @default one in-memory store per pipeline
   */
  stateStores?: StateStoreFactory;
}

/** Something that can end a `startWithShutdown` call: a promise that settles or a signal. */
export type ShutdownTrigger = Promise<unknown> | AbortSignal;

type SchedulerState = 'idle' | 'running' | 'stopping' | 'stopped';

interface Slot {
  pipeline: Pipeline;
  /** The next slot, in the clock of the pipeline's schedule. */
  nextDue: number;
  /** When the timer fires for `nextDue`: the slot plus this slot's jitter. */
  fireAt: number;
  timer: NodeJS.Timeout | undefined;
  inFlight: Set<Promise<RunFinishedEvent>>;
  /** A slot waiting for the run in flight, under the `queue` overrun policy. */
  queued: number | undefined;
  /** The cancellation of each run in flight, aborted on a forced shutdown. */
  controls: Set<RunControl>;
  /** The timer callback, made once per slot rather than once per tick. */
  fire: () => void;
}

/** Runs pipelines on their schedules and shuts them down gracefully. */
export class Scheduler {
  readonly #slots = new Map<string, Slot>();
  readonly #logger: Logger;
  readonly #shutdownTimeoutMs: number;
  readonly #hookTimeoutMs: number;
  readonly #stateStores: StateStoreFactory;
  readonly #events: EventHub<SchedulerEvents>;
  #state: SchedulerState = 'idle';
  #stopping: Promise<void> | undefined;
  /** Pairs the monotonic clock with the wall clock, so slots can be reported as dates. */
  readonly #epochWall = Date.now();
  readonly #epochMono = performance.now();

  constructor(options: SchedulerOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `Scheduler: invalid options: expected an object, received ${describe(options)}.`);
    }
    this.#logger = options.logger ?? silentLogger;
    this.#shutdownTimeoutMs = checkDuration('Scheduler', 'shutdownTimeoutMs', options.shutdownTimeoutMs ?? 10_000, { min: 0 });
    this.#hookTimeoutMs = checkDuration('Scheduler', 'hookTimeoutMs', options.hookTimeoutMs ?? 5_000, { min: 0 });
    this.#stateStores = options.stateStores ?? memoryStateStores();
    this.#events = new EventHub<SchedulerEvents>(
      () => this.#logger,
      (error, event) => {
        // A failing isolatedError listener must not report itself again.
        if (event !== 'isolatedError') this.#events.emit('isolatedError', { origin: 'listener', error });
      },
    );
  }

  /** `idle` before `start()`, then `running`, `stopping` and `stopped`. */
  get state(): SchedulerState {
    return this.#state;
  }

  get pipelines(): Pipeline[] {
    return [...this.#slots.values()].map((slot) => slot.pipeline);
  }

  /** Subscribes to a lifecycle event and returns a function that unsubscribes. */
  on<K extends keyof SchedulerEvents>(name: K, listener: Listener<SchedulerEvents[K]>): () => void {
    return this.#events.on(name, listener);
  }

  off<K extends keyof SchedulerEvents>(name: K, listener: Listener<SchedulerEvents[K]>): void {
    this.#events.off(name, listener);
  }

  /** Adds a pipeline; when the scheduler is running, its schedule starts at once. */
  addPipeline(pipeline: Pipeline): this {
    if (typeof pipeline !== 'object' || pipeline === null || typeof (pipeline as Partial<Pipeline>).setName !== 'function') {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `Scheduler: addPipeline expects a Pipeline, received ${describe(pipeline)}.`);
    }
    this.#assertOpen('addPipeline');
    if (this.#slots.has(pipeline.name)) {
      throw new DeltavError(
        ErrorCodes.DUPLICATE_PIPELINE,
        `Scheduler: a pipeline named "${pipeline.name}" is already added. Give each pipeline a unique name with setName().`,
      );
    }

    const slot: Slot = { pipeline, nextDue: 0, fireAt: 0, timer: undefined, inFlight: new Set(), queued: undefined, controls: new Set(), fire: () => {} };
    slot.fire = () => this.#onTimer(slot);
    this.#slots.set(pipeline.name, slot);
    this.#events.emit('pipelineAdded', { pipeline: pipeline.name });
    if (this.#state === 'running') this.#startSlot(slot);
    return this;
  }

  /** Stops a pipeline's schedule, lets its in-flight run finish, runs its hooks and closes it. */
  async removePipeline(name: string): Promise<void> {
    const slot = this.#slots.get(name);
    if (slot === undefined) throw notFound(name);

    this.#slots.delete(name);
    await this.#shutdownSlot(slot);
    this.#events.emit('pipelineRemoved', { pipeline: name });
  }

  /** Starts every pipeline's schedule. */
  start(): this {
    this.#assertOpen('start');
    if (this.#state === 'running') return this;

    this.#state = 'running';
    for (const slot of this.#slots.values()) this.#startSlot(slot);
    this.#logger.info({ pipelines: this.#slots.size }, 'scheduler started');
    this.#events.emit('started', {});
    return this;
  }

  /**
   * Starts, waits for the trigger, then stops gracefully. Resolves once runs have ended,
   * shutdown hooks have run and plugins are closed.
   */
  async startWithShutdown(shutdown: ShutdownTrigger): Promise<void> {
    if (!(shutdown instanceof Promise) && !isAbortSignal(shutdown)) {
      throw new DeltavError(
        ErrorCodes.INVALID_OPTION,
        `Scheduler: startWithShutdown expects a Promise or an AbortSignal, received ${describe(shutdown)}.`,
      );
    }

    this.start();
    await waitFor(shutdown);
    await this.stop();
  }

  /**
   * Stops starting runs, waits for in-flight runs up to the shutdown timeout, aborts the
   * rest, runs shutdown hooks and closes plugins. Safe to call more than once.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Starts a run of one pipeline now, outside its schedule, and resolves with its result. */
  async runNow(name: string): Promise<RunFinishedEvent> {
    this.#assertOpen('runNow');
    const slot = this.#slots.get(name);
    if (slot === undefined) throw notFound(name);
    return this.#launch(slot, this.#now(slot));
  }

  #startSlot(slot: Slot): void {
    const schedule = slot.pipeline.schedule;
    const start = this.#now(slot);
    // The grid is anchored at the start, before a run at start can delay anything.
    let first = schedule.first(start, Date.now());
    if (schedule.runAtStart) void this.#launch(slot, start);

    const now = this.#now(slot);
    if (first <= now) {
      // A run at start that blocked the process went past slots: they are late, like any slot the process slept through.
      const { next, missed, missedSlots } = schedule.after(first, now);
      this.#reportLate(slot, [first, ...missedSlots], missed + 1);
      first = next;
    }
    this.#setNext(slot, first);
  }

  #setNext(slot: Slot, due: number): void {
    const jitter = slot.pipeline.jitterMs;
    slot.nextDue = due;
    slot.fireAt = jitter > 0 ? due + Math.random() * jitter : due;
    this.#arm(slot);
  }

  #arm(slot: Slot): void {
    // A schedule that never matches again has an infinite next slot and no timer.
    if (!Number.isFinite(slot.fireAt)) return;
    const delay = Math.min(Math.max(slot.fireAt - this.#now(slot), 0), MAX_TIMER_MS);
    slot.timer = setTimeout(slot.fire, delay);
  }

  #onTimer(slot: Slot): void {
    slot.timer = undefined;
    if (this.#state !== 'running' || this.#slots.get(slot.pipeline.name) !== slot) return;

    // A wait longer than one timer allows ends early by design, and a wall clock can lag: re-arm for the rest.
    if (slot.fireAt - this.#now(slot) > 1) {
      this.#arm(slot);
      return;
    }

    const due = slot.nextDue;
    this.#onSlot(slot, due);
    const { next, missed, missedSlots } = slot.pipeline.schedule.after(due, this.#now(slot));
    this.#reportLate(slot, missedSlots, missed);
    this.#setNext(slot, next);
  }

  /** Reports slots the process missed while blocked or suspended: one event per listed slot, and one log line. */
  #reportLate(slot: Slot, slots: readonly number[], missed: number): void {
    if (missed === 0) return;
    const { pipeline } = slot;
    for (const due of slots.slice(0, MAX_REPORTED_MISSES)) {
      this.#events.emit('runSkipped', { pipeline: pipeline.name, scheduledAt: this.#date(slot, due), reason: 'late' });
    }
    this.#logger.warn({ pipeline: pipeline.name, missed }, 'slots missed: the process was blocked or suspended');
  }

  /** Starts, queues or skips the run of a slot, by the pipeline's overrun policy. */
  #onSlot(slot: Slot, due: number): void {
    const { pipeline } = slot;
    const busy = slot.inFlight.size;
    if (busy === 0 || (pipeline.overrun === 'overlap' && busy < pipeline.maxConcurrency)) {
      void this.#launch(slot, due);
      return;
    }
    if (pipeline.overrun === 'queue' && slot.queued === undefined) {
      slot.queued = due;
      return;
    }
    this.#events.emit('runSkipped', { pipeline: pipeline.name, scheduledAt: this.#date(slot, due), reason: 'overrun' });
    this.#logger.warn({ pipeline: pipeline.name, overrun: pipeline.overrun }, 'run skipped: the previous run is still in flight');
  }

  #launch(slot: Slot, due: number): Promise<RunFinishedEvent> {
    const { pipeline } = slot;
    const runId = globalThis.crypto.randomUUID();
    const scheduledAt = this.#date(slot, due);
    const startedAt = new Date();
    const logger = this.#logger.child({ pipeline: pipeline.name, runId });
    const lateMs = Math.max(0, this.#now(slot) - due - (due === slot.nextDue ? slot.fireAt - slot.nextDue : 0));

    this.#events.emit('runStarted', { pipeline: pipeline.name, runId, scheduledAt, startedAt, lateMs });

    const control = new RunControl();
    slot.controls.add(control);
    const run = executeRun({
      pipeline,
      runId,
      scheduledAt,
      startedAt,
      control,
      logger,
      state: this.#stateStores(pipeline.name),
      emit: (type, data) => this.#events.emit('plugin', { pipeline: pipeline.name, runId, type, data }),
      onAttemptFailed: (event) => this.#events.emit('attemptFailed', event),
      onCommitFailed: (error) => this.#events.emit('isolatedError', { pipeline: pipeline.name, origin: 'commit', error }),
    }).then((result) => {
      slot.inFlight.delete(run);
      slot.controls.delete(control);
      if (logger !== silentLogger) logResult(logger, result);
      this.#events.emit('runFinished', result);
      this.#startQueued(slot);
      return result;
    });
    slot.inFlight.add(run);
    return run;
  }

  #startQueued(slot: Slot): void {
    const queued = slot.queued;
    if (queued === undefined || slot.inFlight.size > 0) return;
    slot.queued = undefined;
    if (this.#state === 'running' && this.#slots.get(slot.pipeline.name) === slot) void this.#launch(slot, queued);
  }

  /** The current time in the clock of the slot's schedule. */
  #now(slot: Slot): number {
    return slot.pipeline.schedule.clock === 'wall' ? Date.now() : performance.now();
  }

  #date(slot: Slot, due: number): Date {
    return slot.pipeline.schedule.clock === 'wall' ? new Date(due) : this.#wallTime(due);
  }

  async #stopAll(): Promise<void> {
    if (this.#state === 'stopped') return;

    this.#state = 'stopping';
    this.#logger.info({}, 'scheduler stopping');
    this.#events.emit('stopping', {});
    const slots = [...this.#slots.values()];
    await Promise.all(slots.map((slot) => this.#shutdownSlot(slot)));
    this.#state = 'stopped';
    this.#logger.info({}, 'scheduler stopped');
    this.#events.emit('stopped', {});
  }

  async #shutdownSlot(slot: Slot): Promise<void> {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.queued = undefined;
    const { pipeline } = slot;
    const logger = this.#logger.child({ pipeline: pipeline.name });

    if (slot.inFlight.size > 0) {
      const finished = await withTimeout(Promise.all(slot.inFlight), this.#shutdownTimeoutMs);
      if (!finished) {
        logger.warn({ shutdownTimeoutMs: this.#shutdownTimeoutMs }, 'aborting runs still in flight after the shutdown timeout');
        const reason = new DeltavError(
          ErrorCodes.RUN_ABORTED,
          `Pipeline "${pipeline.name}" run aborted: it outlasted the shutdown timeout of ${this.#shutdownTimeoutMs} ms.`,
        );
        for (const control of slot.controls) control.abort(reason);
        await Promise.all(slot.inFlight);
      }
    }

    for (const hook of pipeline.shutdownHooks) {
      await this.#bounded(pipeline.name, logger, 'hook', 'shutdown hook', () => hook());
    }
    await this.#bounded(pipeline.name, logger, 'close', 'source close', () => pipeline.source.close?.());
    await this.#bounded(pipeline.name, logger, 'close', 'destination close', () => pipeline.destination.close?.());
  }

  /** Runs a cleanup step within the hook timeout; a failure is logged and reported, never thrown. */
  async #bounded(pipeline: string, logger: Logger, origin: 'hook' | 'close', what: string, step: () => Promise<void> | void): Promise<void> {
    let error: Error | undefined;
    try {
      const done = await withTimeout(callAsync(step), this.#hookTimeoutMs);
      if (!done) error = new DeltavError(ErrorCodes.HOOK_TIMEOUT, `Pipeline "${pipeline}": ${what} timed out after ${this.#hookTimeoutMs} ms.`);
    } catch (thrown) {
      error = toError(thrown);
    }
    if (error === undefined) return;
    logger.error({ err: error }, `${what} failed`);
    this.#events.emit('isolatedError', { pipeline, origin, error });
  }

  #assertOpen(operation: string): void {
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      throw new DeltavError(ErrorCodes.SCHEDULER_STOPPED, `Scheduler: ${operation}() called after stop(). Create a new Scheduler instead.`);
    }
  }

  #wallTime(monotonic: number): Date {
    return new Date(this.#epochWall + (monotonic - this.#epochMono));
  }
}

function logResult(logger: Logger, result: RunFinishedEvent): void {
  const fields = { outcome: result.outcome, durationMs: Math.round(result.durationMs * 1000) / 1000, bytes: result.bytes };
  if (result.outcome === 'failure') {
    logger.warn({ ...fields, stage: result.stage, err: result.error }, 'run failed');
  } else {
    logger.info(fields, 'run finished');
  }
}

function notFound(name: string): DeltavError {
  return new DeltavError(ErrorCodes.PIPELINE_NOT_FOUND, `Scheduler: no pipeline named "${name}". Check the name passed to setName().`);
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof value === 'object' && value !== null && typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function';
}

function waitFor(trigger: ShutdownTrigger): Promise<void> {
  if (!isAbortSignal(trigger)) return trigger.then(() => undefined, () => undefined);
  if (trigger.aborted) return Promise.resolve();
  return new Promise((resolve) => trigger.addEventListener('abort', () => resolve(), { once: true }));
}

/** Resolves `true` when `work` settles within `ms`, `false` otherwise; rejects with its error. */
async function withTimeout(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
