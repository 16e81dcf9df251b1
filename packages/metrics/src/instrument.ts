import type { PluginEvent, Scheduler } from '@deltav/core';
import { register as defaultRegistry } from 'prom-client';
import { registerDefaultMetrics, type DefaultMetricsOptions } from './default-metrics.js';
import { errorKind } from './error-kind.js';
import { checkInstrumentOptions } from './instrument-options.js';
import { pipelineMetrics, STATUS_CLASSES, type AnyRegistry, type MetricBuckets } from './pipeline-metrics.js';
import { initPipelineSeries, removePipelineSeries, seriesTable, type SeriesTable } from './pipeline-series.js';
import { PACKAGE_VERSION } from './version.js';

export interface InstrumentOptions {
  /**
   * The registry that receives the metrics.
   * @default prom-client's global registry
   */
  registry?: AnyRegistry;
  /**
   * prom-client's default Node.js process and runtime collectors: `false` leaves them out,
   * an object sets their name prefix. They are registered once per registry.
   * @default true
   */
  defaultMetrics?: boolean | DefaultMetricsOptions;
  /**
   * Histogram bucket upper bounds, in each histogram's base unit. The first
   * instrumentation of a registry fixes them.
   * @default DEFAULT_BUCKETS
   */
  buckets?: MetricBuckets;
  /**
   * The `version` label of `deltav_build_info`, such as the runner's version. The first
   * instrumentation of a registry fixes it.
   * @default the version of @deltav/metrics
   */
  buildVersion?: string;
}

/** Removes the listeners that `instrumentScheduler` added. */
export type Uninstrument = () => void;

/** The part of a scheduler that `instrumentScheduler` uses: its events and its pipelines. */
export type InstrumentedScheduler = Pick<Scheduler, 'on' | 'pipelines'>;

const instrumented = new WeakMap<object, Map<AnyRegistry, Uninstrument>>();

/**
 * Records the runs of every pipeline of a scheduler as Prometheus metrics. Instrumenting
 * the same scheduler into the same registry again returns the first result and counts
 * nothing twice.
 */
export function instrumentScheduler(scheduler: InstrumentedScheduler, options: InstrumentOptions = {}): Uninstrument {
  const checked = checkInstrumentOptions(options);
  const registry = checked.registry ?? defaultRegistry;
  let perRegistry = instrumented.get(scheduler);
  const existing = perRegistry?.get(registry);
  if (existing !== undefined) return existing;

  if (checked.defaultMetrics !== false) {
    registerDefaultMetrics(registry, checked.defaultMetrics === true ? {} : checked.defaultMetrics);
  }
  const metrics = pipelineMetrics(registry, { buildVersion: checked.buildVersion ?? PACKAGE_VERSION, ...(checked.buckets === undefined ? {} : { buckets: checked.buckets }) });
  const detach = subscribe(scheduler, seriesTable(metrics));

  const uninstrument: Uninstrument = () => {
    detach();
    instrumented.get(scheduler)?.delete(registry);
  };
  if (perRegistry === undefined) {
    perRegistry = new Map();
    instrumented.set(scheduler, perRegistry);
  }
  perRegistry.set(registry, uninstrument);
  return uninstrument;
}

/** Turns the scheduler's events into metric updates; returns a function that unsubscribes. */
function subscribe(scheduler: InstrumentedScheduler, table: SeriesTable): () => void {
  const { metrics } = table;
  for (const pipeline of scheduler.pipelines) initPipelineSeries(table, pipeline.name);
  // Runs this instrumentation saw start, so a run that started before it never decrements the gauge.
  const inFlight = new Set<string>();

  const unsubscribers = [
    scheduler.on('pipelineAdded', ({ pipeline }) => initPipelineSeries(table, pipeline)),
    scheduler.on('pipelineRemoved', ({ pipeline }) => removePipelineSeries(table, pipeline)),
    scheduler.on('runSkipped', ({ pipeline, reason }) => {
      table.get(pipeline).runs.skipped.add(1);
      metrics.skippedRuns.inc({ pipeline, reason });
    }),
    scheduler.on('runStarted', ({ pipeline, runId, startedAt, lateMs }) => {
      const series = table.get(pipeline);
      inFlight.add(runId);
      series.runsInFlight.add(1);
      series.lastAttempt.set(startedAt.getTime() / 1000);
      series.scheduleLateness.observe(Math.max(0, lateMs) / 1000);
    }),
    scheduler.on('attemptFailed', ({ pipeline, stage, error, willRetry }) => {
      metrics.errors.inc({ pipeline, stage, kind: errorKind(error) });
      if (willRetry) metrics.retries.inc({ pipeline, stage });
    }),
    scheduler.on('runFinished', (run) => {
      const series = table.get(run.pipeline);
      if (inFlight.delete(run.runId)) series.runsInFlight.add(-1);
      series.runs[run.outcome].add(1);
      series.runDuration.observe(run.durationMs / 1000);
      series.attempts.source.add(run.attempts.source);
      series.attempts.destination.add(run.attempts.destination);

      // A payload was fetched when the run succeeded or got as far as the destination.
      if (run.outcome === 'success' || (run.outcome === 'failure' && run.stage === 'destination')) {
        series.payloadBytes.add(run.bytes);
        series.payloadSize.observe(run.bytes);
      }
      if (run.outcome === 'success' || run.outcome === 'unchanged') {
        series.lastSuccess.set(run.finishedAt.getTime() / 1000);
      }
    }),
    scheduler.on('plugin', (event) => recordPluginEvent(table, event)),
  ];

  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/** Records `http.request` events; other plugin events and malformed data are ignored. */
function recordPluginEvent(table: SeriesTable, { pipeline, type, data }: PluginEvent): void {
  if (type !== 'http.request') return;

  const statusClass = data.statusClass;
  if (typeof statusClass !== 'string' || !(STATUS_CLASSES as readonly string[]).includes(statusClass)) return;

  const http = table.get(pipeline).http();
  http.requests[statusClass as (typeof STATUS_CLASSES)[number]].add(1);
  if (typeof data.durationMs === 'number' && Number.isFinite(data.durationMs) && data.durationMs >= 0) {
    http.duration.observe(data.durationMs / 1000);
  }
  if (data.notModified === true) http.notModified.add(1);
}
