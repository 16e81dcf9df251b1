import { toError } from './errors.js';
import type { Logger } from './logger.js';

/** The stage of a run that failed. */
export type RunStage = 'source' | 'destination';

/** The outcome of a finished run. Skipped slots are reported through `runSkipped` instead. */
export type RunOutcome = 'success' | 'failure' | 'unchanged';

export interface RunStartedEvent {
  pipeline: string;
  runId: string;
  scheduledAt: Date;
  startedAt: Date;
  /** How late the run started against its slot, in milliseconds. */
  lateMs: number;
}

export interface RunFinishedEvent {
  pipeline: string;
  runId: string;
  outcome: RunOutcome;
  scheduledAt: Date;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  /** Payload size in bytes; 0 when nothing was fetched. */
  bytes: number;
  /** The stage that failed, for `failure`. */
  stage?: RunStage;
  error?: Error;
  /** Whether the run's deadline passed. */
  timedOut: boolean;
  /** Attempts made per stage; 0 for a stage that never started. */
  attempts: { source: number; destination: number };
}

export interface AttemptFailedEvent {
  pipeline: string;
  runId: string;
  stage: RunStage;
  /** The attempt that failed, starting at 1. */
  attempt: number;
  error: Error;
  /** Whether another attempt of the same stage follows. */
  willRetry: boolean;
  /** The wait before the next attempt, in milliseconds, when `willRetry` is true. */
  retryInMs?: number;
}

export interface RunSkippedEvent {
  pipeline: string;
  scheduledAt: Date;
  /** `overrun`: the previous run was still going. `late`: the process missed the slot. */
  reason: 'overrun' | 'late';
}

export interface PluginEvent {
  pipeline: string;
  runId: string;
  type: string;
  data: Readonly<Record<string, unknown>>;
}

export interface PipelineEvent {
  pipeline: string;
}

/** A failure that deltav caught and isolated so it could not affect runs. */
export interface IsolatedErrorEvent {
  /** The pipeline concerned; absent for a scheduler-wide listener. */
  pipeline?: string;
  /** The failed part: an event listener, a shutdown hook, a plugin `close()` or a commit callback. */
  origin: 'listener' | 'hook' | 'close' | 'commit';
  error: Error;
}

/** Every event a scheduler emits, by name. */
export interface SchedulerEvents {
  runStarted: RunStartedEvent;
  runFinished: RunFinishedEvent;
  runSkipped: RunSkippedEvent;
  attemptFailed: AttemptFailedEvent;
  plugin: PluginEvent;
  pipelineAdded: PipelineEvent;
  pipelineRemoved: PipelineEvent;
  isolatedError: IsolatedErrorEvent;
  started: Record<string, never>;
  stopping: Record<string, never>;
  stopped: Record<string, never>;
}

export type SchedulerEventName = keyof SchedulerEvents;
export type Listener<E> = (event: E) => void;

/**
 * A typed event emitter that calls each listener in isolation: a listener that throws is
 * logged, and the other listeners and the emitting code carry on.
 */
export class EventHub<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();
  readonly #logger: () => Logger;
  readonly #onListenerError: ((error: Error, event: keyof Events) => void) | undefined;

  constructor(logger: () => Logger, onListenerError?: (error: Error, event: keyof Events) => void) {
    this.#logger = logger;
    this.#onListenerError = onListenerError;
  }

  /** Adds a listener and returns a function that removes it. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(name)?.delete(listener as Listener<never>);
  }

  /** Tests whether anyone listens to an event, so emitters can skip building it. */
  has(name: keyof Events): boolean {
    return (this.#listeners.get(name)?.size ?? 0) > 0;
  }

  emit<K extends keyof Events>(name: K, event: Events[K]): void {
    const set = this.#listeners.get(name);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        const result = (listener as Listener<Events[K]>)(event) as unknown;
        if (result instanceof Promise) result.catch((error: unknown) => this.#listenerFailed(error, name, 'event listener rejected'));
      } catch (error) {
        this.#listenerFailed(error, name, 'event listener threw');
      }
    }
  }

  #listenerFailed(error: unknown, name: keyof Events, message: string): void {
    this.#logger().error({ err: error, event: name }, message);
    try {
      this.#onListenerError?.(toError(error), name);
    } catch (reportError) {
      this.#logger().error({ err: reportError }, 'reporting a listener failure failed');
    }
  }
}
