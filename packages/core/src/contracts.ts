import type { Logger } from './logger.js';
import type { Payload, PayloadInit } from './payload.js';
import type { StateStore } from './state.js';

/** The run details that every source and destination call receives. */
export interface RunContext {
  /** The pipeline name. */
  readonly pipeline: string;
  /** The same as `pipeline`, for readers who prefer the longer name. */
  readonly pipelineName: string;
  /** A unique id of this run, shared by all its attempts. */
  readonly runId: string;
  /** The attempt number of the current stage, starting at 1. */
  readonly attempt: number;
  /** The slot this run was scheduled for. */
  readonly scheduledAt: Date;
  /** Fires on the run timeout and on a forced shutdown; pass it to every I/O call. */
  readonly signal: AbortSignal;
  /** A logger bound to the pipeline name and run id. */
  readonly logger: Logger;
  /** The pipeline's state store, for checkpoints that survive runs. */
  readonly state: StateStore;
  /**
   * Publishes a plugin event, such as an HTTP request's status, to the scheduler's
   * `plugin` listeners. Metrics packages subscribe there, so plugins need no metrics library.
   */
  emit(type: string, data: Readonly<Record<string, unknown>>): void;
  /**
   * Registers a callback that runs once the run has succeeded: after the destination wrote
   * the payload, or at once when the source returned nothing new. Sources use it to store
   * checkpoints, such as an ETag, only for data that has landed. A failed run drops its
   * callbacks. The scheduler always sets it; it is optional so that contexts built by hand
   * in tests stay valid.
   */
  onCommit?(callback: () => Promise<void> | void): void;
}

/** Fetches payloads. `null` or `undefined` means nothing new this run. */
export interface Source {
  fetch(context: RunContext): Promise<PayloadInit | null | undefined>;
  /** Releases connections and timers; called once when the pipeline is stopped. */
  close?(): Promise<void> | void;
}

/** Writes payloads somewhere. */
export interface Destination {
  write(payload: Payload, context: RunContext): Promise<void>;
  /** Flushes and releases resources; called once when the pipeline is stopped. */
  close?(): Promise<void> | void;
}
