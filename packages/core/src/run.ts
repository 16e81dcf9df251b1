import { callAsync } from './abort.js';
import type { RunContext } from './contracts.js';
import { DeltavError, ErrorCodes, toError } from './errors.js';
import type { AttemptFailedEvent, RunFinishedEvent, RunStage } from './events.js';
import type { Logger } from './logger.js';
import { createPayload, isReplayable, previewBytes, releasePayload, type Payload } from './payload.js';
import type { Pipeline } from './pipeline.js';
import { nextRetryDelay } from './retry.js';
import type { RunControl } from './run-control.js';
import type { StateStore } from './state.js';

/** The inputs of one run, from the scheduler that starts it. */
export interface RunRequest {
  pipeline: Pipeline;
  runId: string;
  scheduledAt: Date;
  startedAt: Date;
  /** The run's cancellation; the scheduler aborts it on a forced shutdown. */
  control: RunControl;
  logger: Logger;
  state: StateStore;
  emit(type: string, data: Readonly<Record<string, unknown>>): void;
  onAttemptFailed(event: AttemptFailedEvent): void;
  /** Reports a commit callback that failed; the run keeps its outcome. */
  onCommitFailed(error: Error): void;
}

/**
 * Runs a pipeline once: fetch from the source, then write to the destination, each stage
 * retried by its policy, all under the pipeline's timeout. A destination retry writes the
 * payload already fetched; the source is never fetched again. Never rejects: every
 * failure is reported in the result.
 */
export async function executeRun(request: RunRequest): Promise<RunFinishedEvent> {
  const { pipeline, runId, scheduledAt, startedAt, logger } = request;
  const started = performance.now();
  const { control } = request;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    control.abort(
      new DeltavError(
        ErrorCodes.RUN_TIMEOUT,
        `Pipeline "${pipeline.name}" run ${runId} timed out after ${pipeline.timeoutMs} ms. Raise the pipeline timeout or make the source and destination faster.`,
      ),
    );
  }, pipeline.timeoutMs);

  let stage: RunStage = 'source';
  let bytes = 0;
  let commits: Array<() => Promise<void> | void> | undefined;
  const attempts = { source: 0, destination: 0 };
  const finish = (outcome: RunFinishedEvent['outcome'], error?: Error): RunFinishedEvent => {
    const result: RunFinishedEvent = {
      pipeline: pipeline.name,
      runId,
      outcome,
      scheduledAt,
      startedAt,
      finishedAt: new Date(),
      durationMs: performance.now() - started,
      bytes,
      timedOut,
      attempts,
    };
    if (error !== undefined) {
      result.stage = stage;
      result.error = error;
    }
    return result;
  };
  // Shared by every attempt's context, so a retry allocates no new closures.
  const emit = request.emit;
  const onCommit = (callback: () => Promise<void> | void) => {
    (commits ??= []).push(callback);
  };

  const runStage = async <T>(current: RunStage, work: (context: RunContext) => Promise<T>, canRetry?: () => boolean): Promise<T> => {
    stage = current;
    const policy = pipeline.retryPolicy(current);
    const stageStarted = performance.now();
    for (;;) {
      const attempt = ++attempts[current];
      const context: RunContext = {
        pipeline: pipeline.name,
        pipelineName: pipeline.name,
        runId,
        attempt,
        scheduledAt,
        // Created on first read, so a plugin that never looks at it costs no AbortSignal.
        get signal() {
          return control.signal;
        },
        logger,
        state: request.state,
        emit,
        onCommit,
      };
      try {
        return await control.race(callAsync(() => work(context)));
      } catch (thrown) {
        const error = toError(control.aborted ? control.reason : thrown);
        const now = performance.now();
        const retryInMs =
          control.aborted || (canRetry !== undefined && !canRetry())
            ? undefined
            : nextRetryDelay(policy, error, attempt, now - stageStarted, pipeline.timeoutMs - (now - started));
        request.onAttemptFailed({
          pipeline: pipeline.name,
          runId,
          stage: current,
          attempt,
          error,
          willRetry: retryInMs !== undefined,
          ...(retryInMs === undefined ? {} : { retryInMs }),
        });
        if (retryInMs === undefined) throw error;
        logger.warn({ stage: current, attempt, retryInMs: Math.round(retryInMs), err: error }, 'attempt failed; retrying');
        await control.delay(retryInMs);
      }
    }
  };

  let payload: Payload | undefined;
  try {
    payload = await runStage('source', async (context) => {
      const init = await pipeline.source.fetch(context);
      if (init === null || init === undefined) return undefined;
      return createPayload(init, pipeline.streamSpool === undefined ? {} : { spool: pipeline.streamSpool });
    });
    if (payload === undefined) {
      if (commits !== undefined) await runCommits(commits, logger, request.onCommitFailed);
      return finish('unchanged');
    }

    const fetched = payload;
    bytes = fetched.size ?? 0;
    if (pipeline.debugPayload) await logPreview(fetched, logger);
    // A streamed body that was partly read and not spooled cannot be written again.
    await runStage('destination', (context) => pipeline.destination.write(fetched, context), () => isReplayable(fetched));
    bytes = fetched.size ?? receivedBytes(fetched);
    if (commits !== undefined) await runCommits(commits, logger, request.onCommitFailed);
    return finish('success');
  } catch (thrown) {
    if (payload !== undefined) bytes = payload.size ?? receivedBytes(payload);
    return finish('failure', toError(thrown));
  } finally {
    clearTimeout(timer);
    if (payload !== undefined) await releasePayload(payload).catch(() => {});
  }
}

/** Runs the commit callbacks of a successful run in order; a failing one is logged and reported. */
async function runCommits(commits: ReadonlyArray<() => Promise<void> | void>, logger: Logger, onFailed: (error: Error) => void): Promise<void> {
  for (const commit of commits) {
    try {
      await commit();
    } catch (error) {
      logger.error({ err: error }, 'commit callback failed');
      onFailed(toError(error));
    }
  }
}

/** Bytes a streamed payload has received from its source so far. */
function receivedBytes(payload: Payload): number {
  const received = (payload as { receivedBytes?: unknown }).receivedBytes;
  return typeof received === 'number' ? received : 0;
}

async function logPreview(payload: Payload, logger: Logger): Promise<void> {
  if (payload.streamed) {
    // Reading a preview would consume the stream, so only its description is logged.
    logger.debug({ streamed: true, contentType: payload.contentType }, 'payload preview');
    return;
  }
  const { size, preview, encoding, truncated } = previewBytes(await payload.bytes());
  logger.debug({ bytes: size, preview, encoding, truncated, contentType: payload.contentType }, 'payload preview');
}
