import type { PluginEvent, Scheduler } from '@deltav/core';
import { register as defaultRegistry } from 'prom-client';
import { registerDefaultMetrics, type DefaultMetricsOptions } from './default-metrics.js';
import { errorKind } from './error-kind.js';
import { checkInstrumentOptions } from './instrument-options.js';
import {
  initHttpSeries,
  initPipelineSeries,
  pipelineMetrics,
  removePipelineSeries,
  STATUS_CLASSES,
  type AnyRegistry,
  type MetricBuckets,
  type PipelineMetrics,
} from './pipeline-metrics.js';
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
  const detach = subscribe(scheduler, metrics);

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
function subscribe(scheduler: InstrumentedScheduler, metrics: PipelineMetrics): () => void {
  for (const pipeline of scheduler.pipelines) initPipelineSeries(metrics, pipeline.name);
  // Runs this instrumentation saw start, so a run that started before it never decrements the gauge.
  const inFlight = new Set<string>();

  const unsubscribers = [
    scheduler.on('pipelineAdded', ({ pipeline }) => initPipelineSeries(metrics, pipeline)),
    scheduler.on('pipelineRemoved', ({ pipeline }) => removePipelineSeries(metrics, pipeline)),
    scheduler.on('runSkipped', ({ pipeline, reason }) => {
      metrics.runs.inc({ pipeline, outcome: 'skipped' });
      metrics.skippedRuns.inc({ pipeline, reason });
    }),
    scheduler.on('runStarted', ({ pipeline, runId, startedAt, lateMs }) => {
      inFlight.add(runId);
      metrics.runsInFlight.inc({ pipeline });
      metrics.lastAttempt.set({ pipeline }, startedAt.getTime() / 1000);
      metrics.scheduleLateness.observe({ pipeline }, Math.max(0, lateMs) / 1000);
    }),
    scheduler.on('attemptFailed', ({ pipeline, stage, error, willRetry }) => {
      metrics.errors.inc({ pipeline, stage, kind: errorKind(error) });
      if (willRetry) metrics.retries.inc({ pipeline, stage });
    }),
    scheduler.on('runFinished', (run) => {
      const { pipeline } = run;
      if (inFlight.delete(run.runId)) metrics.runsInFlight.dec({ pipeline });
      metrics.runs.inc({ pipeline, outcome: run.outcome });
      metrics.runDuration.observe({ pipeline }, run.durationMs / 1000);
      metrics.attempts.inc({ pipeline, stage: 'source' }, run.attempts.source);
      metrics.attempts.inc({ pipeline, stage: 'destination' }, run.attempts.destination);

      // A payload was fetched when the run succeeded or got as far as the destination.
      if (run.outcome === 'success' || (run.outcome === 'failure' && run.stage === 'destination')) {
        metrics.payloadBytes.inc({ pipeline }, run.bytes);
        metrics.payloadSize.observe({ pipeline }, run.bytes);
      }
      if (run.outcome === 'success' || run.outcome === 'unchanged') {
        metrics.lastSuccess.set({ pipeline }, run.finishedAt.getTime() / 1000);
      }
    }),
    scheduler.on('plugin', (event) => recordPluginEvent(metrics, event)),
  ];

  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/** Records `http.request` events; other plugin events and malformed data are ignored. */
function recordPluginEvent(metrics: PipelineMetrics, { pipeline, type, data }: PluginEvent): void {
  if (type !== 'http.request') return;

  const statusClass = data.statusClass;
  if (typeof statusClass !== 'string' || !(STATUS_CLASSES as readonly string[]).includes(statusClass)) return;

  initHttpSeries(metrics, pipeline);
  metrics.httpRequests.inc({ pipeline, status_class: statusClass });
  if (typeof data.durationMs === 'number' && Number.isFinite(data.durationMs) && data.durationMs >= 0) {
    metrics.httpRequestDuration.observe({ pipeline }, data.durationMs / 1000);
  }
  if (data.notModified === true) metrics.httpNotModified.inc({ pipeline });
}
