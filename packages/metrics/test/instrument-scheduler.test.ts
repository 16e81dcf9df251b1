import { Pipeline, Scheduler } from '@deltav/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { gatherText, instrumentScheduler } from '../src/index.js';
import { hasPromtool, promtoolCheck } from './promtool.js';

function pipeline(name: string, fetch: () => Promise<{ body: string } | null>) {
  return new Pipeline({ fetch }, { write: async () => {} }, { name });
}

async function scriptedRuns(registry: Registry): Promise<string> {
  const scheduler = new Scheduler();
  scheduler.addPipeline(pipeline('ok', async () => ({ body: 'hello' })));
  scheduler.addPipeline(pipeline('broken', () => Promise.reject(new Error('down'))));
  scheduler.addPipeline(pipeline('same', async () => null));
  instrumentScheduler(scheduler, { registry });

  await scheduler.runNow('ok');
  await scheduler.runNow('ok');
  await scheduler.runNow('broken');
  await scheduler.runNow('same');
  await scheduler.stop();
  return gatherText(registry);
}

describe('instrumentScheduler', () => {
  it('counts runs by outcome and bytes', async () => {
    const text = await scriptedRuns(new Registry());
    const lines = text.split('\n');

    expect(lines).toContain('deltav_pipeline_runs_total{pipeline="ok",outcome="success"} 2');
    expect(lines).toContain('deltav_pipeline_runs_total{pipeline="broken",outcome="failure"} 1');
    expect(lines).toContain('deltav_pipeline_runs_total{pipeline="same",outcome="unchanged"} 1');
    expect(lines).toContain('deltav_pipeline_runs_total{pipeline="ok",outcome="skipped"} 0');
    expect(lines).toContain('deltav_pipeline_payload_bytes_total{pipeline="ok"} 10');
    expect(lines).toContain('deltav_pipeline_errors_total{pipeline="broken",stage="source"} 1');
    expect(lines).toContain('deltav_pipeline_errors_total{pipeline="ok",stage="destination"} 0');
    expect(lines).toContain('deltav_pipeline_run_duration_seconds_count{pipeline="ok"} 2');
    expect(lines.some((line) => /^deltav_pipeline_last_success_timestamp_seconds\{pipeline="ok"\} \d+(\.\d+)?$/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('deltav_pipeline_last_success_timestamp_seconds{pipeline="broken"}'))).toBe(false);
  });

  it('does not double count when instrumented twice', async () => {
    const registry = new Registry();
    const scheduler = new Scheduler();
    scheduler.addPipeline(pipeline('ok', async () => ({ body: 'x' })));
    instrumentScheduler(scheduler, { registry });
    instrumentScheduler(scheduler, { registry });
    const other = new Scheduler();
    other.addPipeline(pipeline('other', async () => ({ body: 'y' })));
    instrumentScheduler(other, { registry });

    await scheduler.runNow('ok');
    await other.runNow('other');
    const text = await gatherText(registry);

    expect(text.split('\n')).toContain('deltav_pipeline_runs_total{pipeline="ok",outcome="success"} 1');
    expect(text.split('\n')).toContain('deltav_pipeline_runs_total{pipeline="other",outcome="success"} 1');
    expect(text.match(/^# TYPE deltav_pipeline_runs_total counter$/gm)).toHaveLength(1);
  });

  it('removes the series of a removed pipeline', async () => {
    const registry = new Registry();
    const scheduler = new Scheduler();
    scheduler.addPipeline(pipeline('gone', async () => ({ body: 'x' })));
    instrumentScheduler(scheduler, { registry });
    await scheduler.runNow('gone');

    await scheduler.removePipeline('gone');

    expect(await gatherText(registry)).not.toContain('pipeline="gone"');
  });

  it.skipIf(!hasPromtool())('passes promtool check metrics', async () => {
    const result = promtoolCheck(await scriptedRuns(new Registry()));

    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
