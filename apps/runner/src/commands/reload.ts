import type { Logger, Scheduler } from '@deltav/core';
import type { PipelineSpec } from '../build.js';

/** The differences between a new config and the running one, pipeline by pipeline. */
export interface ReloadPlan {
  added: PipelineSpec[];
  removed: string[];
  changed: PipelineSpec[];
  unchanged: string[];
}

/** Compares pipelines by name and by the fingerprint of their normalized settings and plugin options. */
export function planReload(current: ReadonlyMap<string, PipelineSpec>, next: readonly PipelineSpec[]): ReloadPlan {
  const plan: ReloadPlan = { added: [], removed: [], changed: [], unchanged: [] };
  const nextNames = new Set(next.map((spec) => spec.name));
  for (const name of current.keys()) if (!nextNames.has(name)) plan.removed.push(name);

  for (const spec of next) {
    const running = current.get(spec.name);
    if (running === undefined) plan.added.push(spec);
    else if (running.fingerprint === spec.fingerprint) plan.unchanged.push(spec.name);
    else plan.changed.push(spec);
  }
  return plan;
}

/**
 * Applies a plan to a running scheduler: removed and changed pipelines stop gracefully
 * (their runs in flight finish), then changed and added ones start. Unchanged pipelines
 * are not touched. `current` is updated to what runs afterwards.
 */
export async function applyReload(scheduler: Scheduler, current: Map<string, PipelineSpec>, plan: ReloadPlan, logger: Logger): Promise<void> {
  const replaced = new Set(plan.changed.map((spec) => spec.name));
  await Promise.all(
    [...plan.removed, ...replaced].map(async (name) => {
      await scheduler.removePipeline(name);
      current.delete(name);
      logger.info({ pipeline: name }, 'pipeline stopped');
    }),
  );

  for (const spec of [...plan.changed, ...plan.added]) {
    try {
      scheduler.addPipeline(spec.create());
      current.set(spec.name, spec);
      logger.info({ pipeline: spec.name }, 'pipeline started');
    } catch (error) {
      logger.error({ pipeline: spec.name, err: error }, 'failed to start the pipeline after the reload; it stays stopped until the next reload');
    }
  }
}
