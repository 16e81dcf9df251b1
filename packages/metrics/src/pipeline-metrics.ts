import { Counter, Gauge, Histogram, type Registry, type RegistryContentType } from 'prom-client';

/** A prom-client registry of either exposition type. */
export type AnyRegistry = Registry<RegistryContentType>;

export const METRIC_NAMES = {
  runs: 'deltav_pipeline_runs_total',
  skippedRuns: 'deltav_pipeline_skipped_runs_total',
  runDuration: 'deltav_pipeline_run_duration_seconds',
  attempts: 'deltav_pipeline_attempts_total',
  retries: 'deltav_pipeline_retries_total',
  errors: 'deltav_pipeline_errors_total',
  payloadBytes: 'deltav_pipeline_payload_bytes_total',
  payloadSize: 'deltav_pipeline_payload_size_bytes',
  runsInFlight: 'deltav_pipeline_runs_in_flight',
  lastSuccess: 'deltav_pipeline_last_success_timestamp_seconds',
  lastAttempt: 'deltav_pipeline_last_attempt_timestamp_seconds',
  scheduleLateness: 'deltav_pipeline_schedule_lateness_seconds',
  httpRequests: 'deltav_http_requests_total',
  httpRequestDuration: 'deltav_http_request_duration_seconds',
  httpNotModified: 'deltav_http_not_modified_responses_total',
  buildInfo: 'deltav_build_info',
} as const;

/** Outcomes counted by `deltav_pipeline_runs_total`. */
export const RUN_OUTCOMES = ['success', 'failure', 'unchanged', 'skipped'] as const;
/** Stages counted by the attempt, retry and error counters. */
export const ERROR_STAGES = ['source', 'destination'] as const;
/** Reasons counted by `deltav_pipeline_skipped_runs_total`. */
export const SKIP_REASONS = ['overrun', 'late'] as const;
/** Values of the `status_class` label of `deltav_http_requests_total`; `none` means no response arrived. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'none'] as const;

/**
 * Default run duration buckets, in seconds: from 5 ms to 10 minutes, so both a fast local
 * poll and a long download land in a bucket of their own.
 */
export const DEFAULT_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Bucket upper bounds of the histograms, in each histogram's base unit. */
export interface MetricBuckets {
  /**
   * `deltav_pipeline_run_duration_seconds`, in seconds.
   * @default 0.005 to 600, see `DEFAULT_DURATION_BUCKETS`
   */
  runDuration?: readonly number[];
  /**
   * `deltav_pipeline_payload_size_bytes`, in bytes.
   * @default powers of 4 from 256 B to 1 GiB
   */
  payloadSize?: readonly number[];
  /**
   * `deltav_pipeline_schedule_lateness_seconds`, in seconds.
   * @default 0.001 to 300
   */
  scheduleLateness?: readonly number[];
  /**
   * `deltav_http_request_duration_seconds`, in seconds.
   * @default 0.005 to 60
   */
  httpRequestDuration?: readonly number[];
}

/** The bucket layouts used when `MetricBuckets` leaves one out. */
export const DEFAULT_BUCKETS: Required<MetricBuckets> = {
  runDuration: DEFAULT_DURATION_BUCKETS,
  payloadSize: [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864, 268435456, 1073741824],
  scheduleLateness: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
  httpRequestDuration: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
};

/** The metric families deltav writes into one registry. */
export interface PipelineMetrics {
  runs: Counter<'pipeline' | 'outcome'>;
  skippedRuns: Counter<'pipeline' | 'reason'>;
  runDuration: Histogram<'pipeline'>;
  attempts: Counter<'pipeline' | 'stage'>;
  retries: Counter<'pipeline' | 'stage'>;
  errors: Counter<'pipeline' | 'stage' | 'kind'>;
  payloadBytes: Counter<'pipeline'>;
  payloadSize: Histogram<'pipeline'>;
  runsInFlight: Gauge<'pipeline'>;
  lastSuccess: Gauge<'pipeline'>;
  lastAttempt: Gauge<'pipeline'>;
  scheduleLateness: Histogram<'pipeline'>;
  httpRequests: Counter<'pipeline' | 'status_class'>;
  httpRequestDuration: Histogram<'pipeline'>;
  httpNotModified: Counter<'pipeline'>;
  buildInfo: Gauge<'version'>;
}

/** Settings that take effect when a registry's families are created, and are ignored afterwards. */
export interface FamilyOptions {
  buckets?: MetricBuckets;
  /** The `version` label of `deltav_build_info`. */
  buildVersion: string;
}

const byRegistry = new WeakMap<AnyRegistry, PipelineMetrics>();

/**
 * Returns the deltav metric families of a registry, creating them on first use. Families
 * that another copy of this package already registered are reused, so a second
 * instrumentation never throws a duplicate-registration error. The first call for a
 * registry fixes its buckets and build version.
 */
export function pipelineMetrics(registry: AnyRegistry, options: FamilyOptions = { buildVersion: '0.0.0-dev' }): PipelineMetrics {
  const cached = byRegistry.get(registry);
  if (cached !== undefined) return cached;

  const buckets = { ...DEFAULT_BUCKETS, ...options.buckets };
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: L[]): Counter<L> =>
    reuse(registry, name) ?? new Counter({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> =>
    reuse(registry, name) ?? new Gauge({ name, help, labelNames, registers });
  const histogram = (name: string, help: string, layout: readonly number[]): Histogram<'pipeline'> =>
    reuse(registry, name) ?? new Histogram({ name, help, labelNames: ['pipeline'], buckets: [...layout], registers });

  const buildInfoExisted = registry.getSingleMetric(METRIC_NAMES.buildInfo) !== undefined;
  const metrics: PipelineMetrics = {
    runs: counter(METRIC_NAMES.runs, 'Pipeline runs by outcome; skipped counts slots that did not start a run.', ['pipeline', 'outcome']),
    skippedRuns: counter(
      METRIC_NAMES.skippedRuns,
      'Slots that did not start a run: overrun when the previous run was still in flight, late when the process missed the slot.',
      ['pipeline', 'reason'],
    ),
    runDuration: histogram(METRIC_NAMES.runDuration, 'Duration of pipeline runs in seconds, from start to the end of the destination write.', buckets.runDuration),
    attempts: counter(METRIC_NAMES.attempts, 'Attempts made by finished runs, by stage; the first try counts as one.', ['pipeline', 'stage']),
    retries: counter(METRIC_NAMES.retries, 'Failed attempts that the scheduler retried, by stage.', ['pipeline', 'stage']),
    errors: counter(METRIC_NAMES.errors, 'Failed attempts by stage and error kind.', ['pipeline', 'stage', 'kind']),
    payloadBytes: counter(METRIC_NAMES.payloadBytes, 'Payload bytes fetched from sources.', ['pipeline']),
    payloadSize: histogram(METRIC_NAMES.payloadSize, 'Size of fetched payloads in bytes.', buckets.payloadSize),
    runsInFlight: gauge(METRIC_NAMES.runsInFlight, 'Runs started and not yet finished.', ['pipeline']),
    lastSuccess: gauge(METRIC_NAMES.lastSuccess, 'Unix time in seconds at which the last successful or unchanged run finished.', ['pipeline']),
    lastAttempt: gauge(METRIC_NAMES.lastAttempt, 'Unix time in seconds at which the last run started.', ['pipeline']),
    scheduleLateness: histogram(METRIC_NAMES.scheduleLateness, 'How late runs started after their scheduled slot, in seconds.', buckets.scheduleLateness),
    httpRequests: counter(METRIC_NAMES.httpRequests, 'HTTP requests made by sources, by response status class; none when no response arrived.', [
      'pipeline',
      'status_class',
    ]),
    httpRequestDuration: histogram(METRIC_NAMES.httpRequestDuration, 'Duration of HTTP requests made by sources, in seconds.', buckets.httpRequestDuration),
    httpNotModified: counter(METRIC_NAMES.httpNotModified, 'HTTP 304 Not Modified responses received by sources.', ['pipeline']),
    buildInfo: gauge(METRIC_NAMES.buildInfo, 'Always 1; the version label is the deltav version.', ['version']),
  };
  if (!buildInfoExisted) metrics.buildInfo.set({ version: options.buildVersion }, 1);

  byRegistry.set(registry, metrics);
  return metrics;
}

function reuse<T>(registry: AnyRegistry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}
