import type { Scheduler } from '@deltav/core';
import { register as defaultRegistry, type Registry } from 'prom-client';
import { initPipelineSeries, pipelineMetrics, removePipelineSeries } from './pipeline-metrics.js';

export interface InstrumentOptions {
  /**
   * The registry that receives the metrics.
   * @default prom-client's global registry
   */
  registry?: Registry;
}

/** Removes the listeners that `instrumentScheduler` added. */
export type Uninstrument = () => void;

const instrumented = new WeakMap<object, Map<Registry, Uninstrument>>();

/**
 * Records the runs of every pipeline of a scheduler as Prometheus metrics. Instrumenting
 * the same scheduler into the same registry again returns the first result and counts
 * nothing twice.
 */
export function instrumentScheduler(scheduler: Scheduler, options: InstrumentOptions = {}): Uninstrument {
  const registry = options.registry ?? defaultRegistry;
  let perRegistry = instrumented.get(scheduler);
  const existing = perRegistry?.get(registry);
  if (existing !== undefined) return existing;

  const metrics = pipelineMetrics(registry);
  for (const pipeline of scheduler.pipelines) initPipelineSeries(metrics, pipeline.name);

  const unsubscribers = [
    scheduler.on('pipelineAdded', ({ pipeline }) => initPipelineSeries(metrics, pipeline)),
    scheduler.on('pipelineRemoved', ({ pipeline }) => removePipelineSeries(metrics, pipeline)),
    scheduler.on('runSkipped', ({ pipeline }) => metrics.runs.inc({ pipeline, outcome: 'skipped' })),
    scheduler.on('runFinished', (run) => {
      const { pipeline } = run;
      metrics.runs.inc({ pipeline, outcome: run.outcome });
      metrics.runDuration.observe({ pipeline }, run.durationMs / 1000);
      if (run.bytes > 0) metrics.payloadBytes.inc({ pipeline }, run.bytes);
      if (run.outcome === 'success' || run.outcome === 'unchanged') {
        metrics.lastSuccess.set({ pipeline }, run.finishedAt.getTime() / 1000);
      }
      if (run.outcome === 'failure' && run.stage !== undefined) {
        metrics.errors.inc({ pipeline, stage: run.stage });
      }
    }),
  ];

  const uninstrument: Uninstrument = () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
    instrumented.get(scheduler)?.delete(registry);
  };
  if (perRegistry === undefined) {
    perRegistry = new Map();
    instrumented.set(scheduler, perRegistry);
  }
  perRegistry.set(registry, uninstrument);
  return uninstrument;
}
