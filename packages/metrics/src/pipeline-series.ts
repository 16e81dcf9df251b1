import { ERROR_KINDS } from './error-kind.js';
import { flushBeforeRead, PendingIncrement, PendingValue, type PendingWrite } from './pending-write.js';
import { ERROR_STAGES, RUN_OUTCOMES, SKIP_REASONS, STATUS_CLASSES, type PipelineMetrics } from './pipeline-metrics.js';

type RunOutcomeLabel = (typeof RUN_OUTCOMES)[number];
type StageLabel = (typeof ERROR_STAGES)[number];
type StatusClass = (typeof STATUS_CLASSES)[number];

/** A histogram series bound to its labels, so an observation does not allocate a label set. */
interface Observer {
  observe(value: number): void;
}

/** The families whose per-run writes wait for the next read. */
type IncrementedFamily = PipelineMetrics['runs' | 'attempts' | 'payloadBytes' | 'runsInFlight' | 'httpRequests' | 'httpNotModified'];
type BufferedFamily = IncrementedFamily | PipelineMetrics['lastAttempt' | 'lastSuccess'];

/** A label set that names its pipeline, so the pipeline's removal can find the series. */
type PipelineLabels = { pipeline: string } & Record<string, string>;

/** The HTTP series of one pipeline, created at its first HTTP request. */
export interface HttpSeries {
  requests: Record<StatusClass, PendingIncrement>;
  notModified: PendingIncrement;
  duration: Observer;
}

/**
 * The series of one pipeline that change on every run, bound to their labels once. Counter
 * and gauge writes are kept here and reach prom-client when a family is read.
 */
export class PipelineSeries {
  readonly runs: Record<RunOutcomeLabel, PendingIncrement>;
  readonly attempts: Record<StageLabel, PendingIncrement>;
  readonly payloadBytes: PendingIncrement;
  readonly runsInFlight: PendingIncrement;
  readonly lastAttempt: PendingValue;
  readonly lastSuccess: PendingValue;
  readonly runDuration: Observer;
  readonly payloadSize: Observer;
  readonly scheduleLateness: Observer;
  #http: HttpSeries | undefined;
  readonly #table: SeriesTable;
  readonly #pipeline: string;

  constructor(table: SeriesTable, pipeline: string) {
    const { metrics } = table;
    this.#table = table;
    this.#pipeline = pipeline;
    this.runs = recordOf(RUN_OUTCOMES, (outcome) => table.increment(metrics.runs, { pipeline, outcome }, false));
    this.attempts = recordOf(ERROR_STAGES, (stage) => table.increment(metrics.attempts, { pipeline, stage }, false));
    this.payloadBytes = table.increment(metrics.payloadBytes, { pipeline }, false);
    this.runsInFlight = table.increment(metrics.runsInFlight, { pipeline }, true);
    this.lastAttempt = table.value(metrics.lastAttempt, { pipeline });
    this.lastSuccess = table.value(metrics.lastSuccess, { pipeline });
    this.runDuration = metrics.runDuration.labels({ pipeline });
    this.payloadSize = metrics.payloadSize.labels({ pipeline });
    this.scheduleLateness = metrics.scheduleLateness.labels({ pipeline });
  }

  /** Returns the pipeline's HTTP series, creating its counters at zero on the first call. */
  http(): HttpSeries {
    if (this.#http !== undefined) return this.#http;

    const { metrics } = this.#table;
    const pipeline = this.#pipeline;
    const http: HttpSeries = {
      requests: recordOf(STATUS_CLASSES, (statusClass) => this.#table.increment(metrics.httpRequests, { pipeline, status_class: statusClass }, false)),
      notModified: this.#table.increment(metrics.httpNotModified, { pipeline }, false),
      duration: metrics.httpRequestDuration.labels({ pipeline }),
    };
    for (const statusClass of STATUS_CLASSES) http.requests[statusClass].init();
    http.notModified.init();
    this.#http = http;
    return http;
  }
}

/** The per-pipeline series of one family set, and the writes each buffered family has waiting. */
export class SeriesTable {
  readonly metrics: PipelineMetrics;
  readonly #pipelines = new Map<string, PipelineSeries>();
  readonly #writes = new Map<BufferedFamily, Set<PendingWrite>>();
  /** The writes created for each pipeline, so its removal can drop them. */
  readonly #writesOf = new Map<string, Array<[BufferedFamily, PendingWrite]>>();

  constructor(metrics: PipelineMetrics) {
    this.metrics = metrics;
    const buffered: BufferedFamily[] = [
      metrics.runs,
      metrics.attempts,
      metrics.payloadBytes,
      metrics.runsInFlight,
      metrics.lastAttempt,
      metrics.lastSuccess,
      metrics.httpRequests,
      metrics.httpNotModified,
    ];
    for (const family of buffered) {
      const writes = new Set<PendingWrite>();
      this.#writes.set(family, writes);
      flushBeforeRead(family, () => {
        for (const write of writes) write.flush();
      });
    }
  }

  /** Returns a pipeline's series, creating them without any zero samples if the pipeline is new. */
  get(pipeline: string): PipelineSeries {
    const existing = this.#pipelines.get(pipeline);
    if (existing !== undefined) return existing;

    this.#writesOf.set(pipeline, []);
    const series = new PipelineSeries(this, pipeline);
    this.#pipelines.set(pipeline, series);
    return series;
  }

  /** Drops a pipeline's series and their waiting writes, so a later read does not bring them back. */
  delete(pipeline: string): void {
    for (const [family, write] of this.#writesOf.get(pipeline) ?? []) this.#writes.get(family)?.delete(write);
    this.#writesOf.delete(pipeline);
    this.#pipelines.delete(pipeline);
  }

  increment(family: IncrementedFamily, labels: PipelineLabels, signed: boolean): PendingIncrement {
    return this.#track(family, labels.pipeline, new PendingIncrement(family, labels, signed));
  }

  value(family: PipelineMetrics['lastAttempt' | 'lastSuccess'], labels: PipelineLabels): PendingValue {
    return this.#track(family, labels.pipeline, new PendingValue(family, labels));
  }

  #track<W extends PendingWrite>(family: BufferedFamily, pipeline: string, write: W): W {
    this.#writes.get(family)?.add(write);
    this.#writesOf.get(pipeline)?.push([family, write]);
    return write;
  }
}

function recordOf<K extends string, V>(keys: readonly K[], make: (key: K) => V): Record<K, V> {
  const record = {} as Record<K, V>;
  for (const key of keys) record[key] = make(key);
  return record;
}

const tables = new WeakMap<PipelineMetrics, SeriesTable>();

/** Returns the per-pipeline series of a family set, created on first use. */
export function seriesTable(metrics: PipelineMetrics): SeriesTable {
  let table = tables.get(metrics);
  if (table === undefined) {
    table = new SeriesTable(metrics);
    tables.set(metrics, table);
  }
  return table;
}

/** Creates a pipeline's counters and gauges at zero, so `rate()` and `absent()` work before its first run. */
export function initPipelineSeries(table: SeriesTable, pipeline: string): void {
  const { metrics } = table;
  const series = table.get(pipeline);
  for (const outcome of RUN_OUTCOMES) series.runs[outcome].init();
  for (const reason of SKIP_REASONS) metrics.skippedRuns.inc({ pipeline, reason }, 0);
  for (const stage of ERROR_STAGES) {
    series.attempts[stage].init();
    metrics.retries.inc({ pipeline, stage }, 0);
    for (const kind of ERROR_KINDS) metrics.errors.inc({ pipeline, stage, kind }, 0);
  }
  series.payloadBytes.init();
  series.runsInFlight.init();
}

/** Removes every series of a pipeline, for a pipeline that was removed from its scheduler. */
export function removePipelineSeries(table: SeriesTable, pipeline: string): void {
  const { metrics } = table;
  table.delete(pipeline);
  for (const outcome of RUN_OUTCOMES) metrics.runs.remove({ pipeline, outcome });
  for (const reason of SKIP_REASONS) metrics.skippedRuns.remove({ pipeline, reason });
  for (const stage of ERROR_STAGES) {
    metrics.attempts.remove({ pipeline, stage });
    metrics.retries.remove({ pipeline, stage });
    for (const kind of ERROR_KINDS) metrics.errors.remove({ pipeline, stage, kind });
  }
  for (const statusClass of STATUS_CLASSES) metrics.httpRequests.remove({ pipeline, status_class: statusClass });

  const single = [
    metrics.runDuration,
    metrics.payloadBytes,
    metrics.payloadSize,
    metrics.runsInFlight,
    metrics.lastSuccess,
    metrics.lastAttempt,
    metrics.scheduleLateness,
    metrics.httpRequestDuration,
    metrics.httpNotModified,
  ];
  for (const metric of single) metric.remove({ pipeline });
}
