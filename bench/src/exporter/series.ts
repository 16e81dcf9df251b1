import { Pipeline, Scheduler } from '@deltav/core';
import { instrumentScheduler } from '@deltav/metrics';
import type { Registry } from 'prom-client';

/**
 * Fills a registry with the series of `count` pipelines: instruments a scheduler with
 * that many no-op pipelines and runs each once, so every family has every series. The
 * scheduler is never started.
 */
export async function fillRegistry(registry: Registry, count: number): Promise<void> {
  const scheduler = new Scheduler();
  for (let i = 0; i < count; i++) {
    scheduler.addPipeline(new Pipeline({ fetch: async () => ({ body: '{}' }) }, { write: async () => {} }, { name: `pipeline_${i}` }));
  }
  instrumentScheduler(scheduler, { registry });
  for (let i = 0; i < count; i++) {
    const result = await scheduler.runNow(`pipeline_${i}`);
    if (result.outcome !== 'success') throw new Error(`Filling the registry: run of pipeline_${i} ended with ${result.outcome}.`);
  }
}
