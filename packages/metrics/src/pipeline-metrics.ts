import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const METRIC_NAMES = {
  runs: 'deltav_pipeline_runs_total',
  runDuration: 'deltav_pipeline_run_duration_seconds',
  lastSuccess: 'deltav_pipeline_last_success_timestamp_seconds',
  payloadBytes: 'deltav_pipeline_payload_bytes_total',
  errors: 'deltav_pipeline_errors_total',
} as const;

/** Outcomes counted by `deltav_pipeline_runs_total`. */
export const RUN_OUTCOMES = ['success', 'failure', 'unchanged', 'skipped'] as const;
/** Stages counted by `deltav_pipeline_errors_total`. */
export const ERROR_STAGES = ['source', 'destination'] as const;

/**
 * Default run duration buckets, in seconds: from 5 ms to 10 minutes, so both a fast local
 * poll and a long download land in a bucket of their own.
 */
export const DEFAULT_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** The metric families deltav writes into one registry. */
export interface PipelineMetrics {
  runs: Counter<'pipeline' | 'outcome'>;
  runDuration: Histogram<'pipeline'>;
  lastSuccess: Gauge<'pipeline'>;
  payloadBytes: Counter<'pipeline'>;
  errors: Counter<'pipeline' | 'stage'>;
}

const byRegistry = new WeakMap<Registry, PipelineMetrics>();

/**
 * Returns the deltav metric families of a registry, creating them on first use. Families
 * that another copy of this package already registered are reused, so a second
 * instrumentation never throws a duplicate-registration error.
 */
export function pipelineMetrics(registry: Registry): PipelineMetrics {
  const cached = byRegistry.get(registry);
  if (cached !== undefined) return cached;

  const registers = [registry];
  const metrics: PipelineMetrics = {
    runs: reuse(registry, METRIC_NAMES.runs) ??
      new Counter({ name: METRIC_NAMES.runs, help: 'Pipeline runs by outcome.', labelNames: ['pipeline', 'outcome'], registers }),
    runDuration: reuse(registry, METRIC_NAMES.runDuration) ??
      new Histogram({
        name: METRIC_NAMES.runDuration,
        help: 'Duration of pipeline runs in seconds, from start to the end of the destination write.',
        labelNames: ['pipeline'],
        buckets: DEFAULT_DURATION_BUCKETS,
        registers,
      }),
    lastSuccess: reuse(registry, METRIC_NAMES.lastSuccess) ??
      new Gauge({ name: METRIC_NAMES.lastSuccess, help: 'Unix time in seconds of the last successful run.', labelNames: ['pipeline'], registers }),
    payloadBytes: reuse(registry, METRIC_NAMES.payloadBytes) ??
      new Counter({ name: METRIC_NAMES.payloadBytes, help: 'Payload bytes fetched from sources.', labelNames: ['pipeline'], registers }),
    errors: reuse(registry, METRIC_NAMES.errors) ??
      new Counter({ name: METRIC_NAMES.errors, help: 'Failed runs by the stage that failed.', labelNames: ['pipeline', 'stage'], registers }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

/** Creates a pipeline's series at zero, so `rate()` and `absent()` work before its first run. */
export function initPipelineSeries(metrics: PipelineMetrics, pipeline: string): void {
  for (const outcome of RUN_OUTCOMES) metrics.runs.inc({ pipeline, outcome }, 0);
  for (const stage of ERROR_STAGES) metrics.errors.inc({ pipeline, stage }, 0);
  metrics.payloadBytes.inc({ pipeline }, 0);
}

/** Removes every series of a pipeline, for a pipeline that was removed from its scheduler. */
export function removePipelineSeries(metrics: PipelineMetrics, pipeline: string): void {
  for (const outcome of RUN_OUTCOMES) metrics.runs.remove({ pipeline, outcome });
  for (const stage of ERROR_STAGES) metrics.errors.remove({ pipeline, stage });
  metrics.runDuration.remove({ pipeline });
  metrics.lastSuccess.remove({ pipeline });
  metrics.payloadBytes.remove({ pipeline });
}

function reuse<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}
