import { callAsync, raceSignal } from './abort.js';
import type { RunContext } from './contracts.js';
import { DeltavError, ErrorCodes, toError } from './errors.js';
import type { AttemptFailedEvent, RunFinishedEvent, RunStage } from './events.js';
import type { Logger } from './logger.js';
import { createPayload, previewBytes, type Payload } from './payload.js';
import type { Pipeline } from './pipeline.js';
import type { StateStore } from './state.js';

/** What one run needs from the scheduler that starts it. */
export interface RunRequest {
  pipeline: Pipeline;
  runId: string;
  scheduledAt: Date;
  startedAt: Date;
  /** Fires on a forced shutdown. */
  shutdownSignal: AbortSignal;
  logger: Logger;
  state: StateStore;
  emit(type: string, data: Readonly<Record<string, unknown>>): void;
  onAttemptFailed(event: AttemptFailedEvent): void;
}

/**
 * Runs a pipeline once: fetch from the source, then write to the destination, under the
 * pipeline's timeout. Never rejects: every failure is reported in the result.
 */
export async function executeRun(request: RunRequest): Promise<RunFinishedEvent> {
  const { pipeline, runId, scheduledAt, startedAt, logger } = request;
  const started = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    deadline.abort(
      new DeltavError(
        ErrorCodes.RUN_TIMEOUT,
        `Pipeline "${pipeline.name}" run ${runId} timed out after ${pipeline.timeoutMs} ms. Raise the pipeline timeout or make the source and destination faster.`,
      ),
    );
  }, pipeline.timeoutMs);
  const signal = AbortSignal.any([deadline.signal, request.shutdownSignal]);

  const context: RunContext = {
    pipeline: pipeline.name,
    pipelineName: pipeline.name,
    runId,
    attempt: 1,
    scheduledAt,
    signal,
    logger,
    state: request.state,
    emit: request.emit,
  };

  let stage: RunStage = 'source';
  let bytes = 0;
  const attempts = { source: 0, destination: 0 };
  const finish = (outcome: RunFinishedEvent['outcome'], error?: Error): RunFinishedEvent => ({
    pipeline: pipeline.name,
    runId,
    outcome,
    scheduledAt,
    startedAt,
    finishedAt: new Date(),
    durationMs: performance.now() - started,
    bytes,
    ...(error === undefined ? {} : { stage, error }),
    timedOut: deadline.signal.aborted,
    attempts: { ...attempts },
  });

  try {
    attempts.source++;
    const init = await raceSignal(callAsync(() => pipeline.source.fetch(context)), signal);
    if (init === null || init === undefined) return finish('unchanged');

    const payload = createPayload(init);
    bytes = payload.size;
    if (pipeline.debugPayload) await logPreview(payload, logger);

    stage = 'destination';
    attempts.destination++;
    await raceSignal(callAsync(() => pipeline.destination.write(payload, context)), signal);
    return finish('success');
  } catch (thrown) {
    const error = toError(thrown);
    request.onAttemptFailed({ pipeline: pipeline.name, runId, stage, attempt: attempts[stage], error, willRetry: false });
    return finish('failure', error);
  } finally {
    clearTimeout(timer);
  }
}

async function logPreview(payload: Payload, logger: Logger): Promise<void> {
  const { size, preview, encoding, truncated } = previewBytes(await payload.bytes());
  logger.debug({ bytes: size, preview, encoding, truncated, contentType: payload.contentType }, 'payload preview');
}
