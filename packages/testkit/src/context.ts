import { MemoryStateStore, silentLogger, type Logger, type RunContext, type StateStore } from '@deltav/core';

/** Fields of a test run context; every field has a default. */
export interface TestContextInit {
  /**
   * The run's signal.
   * @default a signal that never aborts
   */
  signal?: AbortSignal;
  /**
   * The pipeline's state store; pass the same store to several contexts to test checkpoints.
   * @default a new MemoryStateStore
   */
  state?: StateStore;
  /** @default "conformance" */
  pipeline?: string;
  /** @default "run-1" */
  runId?: string;
  /**
   * The attempt number of the stage, from 1.
   * @default 1
   */
  attempt?: number;
  /** @default the current time */
  scheduledAt?: Date;
  /** @default a logger that drops every line */
  logger?: Logger;
}

/** One call of `context.emit`. */
export interface EmittedEvent {
  type: string;
  data: Readonly<Record<string, unknown>>;
}

/** A run context for tests that records every event the plugin emits. */
export interface TestContext extends RunContext {
  readonly events: EmittedEvent[];
}

/** Builds a run context like the one the scheduler passes to `fetch` and `write`. */
export function createTestContext(init: TestContextInit = {}): TestContext {
  const pipeline = init.pipeline ?? 'conformance';
  const events: EmittedEvent[] = [];
  return {
    pipeline,
    pipelineName: pipeline,
    runId: init.runId ?? 'run-1',
    attempt: init.attempt ?? 1,
    scheduledAt: init.scheduledAt ?? new Date(),
    signal: init.signal ?? new AbortController().signal,
    logger: init.logger ?? silentLogger,
    state: init.state ?? new MemoryStateStore(),
    events,
    emit(type, data) {
      events.push({ type, data });
    },
  };
}
