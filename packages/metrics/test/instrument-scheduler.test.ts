import { Pipeline, Scheduler, type SchedulerEvents } from '@deltav/core';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { gatherText, instrumentScheduler, type InstrumentedScheduler } from '../src/index.js';
import { seriesOf } from './scripted-runs.js';

function pipeline(name: string, body: string | null = 'x') {
  return new Pipeline({ fetch: async () => (body === null ? null : { body }) }, { write: async () => {} }, { name });
}

type Listeners = { [K in keyof SchedulerEvents]?: Array<(event: SchedulerEvents[K]) => void> };

/** Creates a stand-in scheduler that emits the events a test scripts, for events core does not emit yet. */
function eventSource(): InstrumentedScheduler & { emit<K extends keyof SchedulerEvents>(name: K, event: SchedulerEvents[K]): void } {
  const listeners: Listeners = {};
  return {
    pipelines: [],
    on(name, listener) {
      const list = (listeners[name] ??= []) as Array<typeof listener>;
      list.push(listener);
      return () => list.splice(list.indexOf(listener), 1);
    },
    emit(name, event) {
      for (const listener of listeners[name] ?? []) listener(event);
    },
  } as InstrumentedScheduler & { emit<K extends keyof SchedulerEvents>(name: K, event: SchedulerEvents[K]): void };
}

const familyCount = (text: string, family: string) => text.split('\n').filter((line) => line === `# TYPE ${family}`).length;

describe('instrumentScheduler', () => {
  it('does not double count when instrumented twice', async () => {
    const registry = new Registry();
    const scheduler = new Scheduler();
    scheduler.addPipeline(pipeline('ok'));
    const first = instrumentScheduler(scheduler, { registry });
    const second = instrumentScheduler(scheduler, { registry });

    await scheduler.runNow('ok');
    const text = await gatherText(registry);

    expect(second).toBe(first);
    expect(seriesOf(text, 'deltav_pipeline_runs_total', 'ok')).toContain('deltav_pipeline_runs_total{pipeline="ok",outcome="success"} 1');
  });

  it('shares one registry between two schedulers', async () => {
    const registry = new Registry();
    const one = new Scheduler();
    one.addPipeline(pipeline('one'));
    const two = new Scheduler();
    two.addPipeline(pipeline('two'));
    instrumentScheduler(one, { registry, buildVersion: '1.0.0' });
    instrumentScheduler(two, { registry, buildVersion: '2.0.0' });

    await one.runNow('one');
    await two.runNow('two');
    const text = await gatherText(registry);

    expect(seriesOf(text, 'deltav_pipeline_runs_total', 'one')).toContain('deltav_pipeline_runs_total{pipeline="one",outcome="success"} 1');
    expect(seriesOf(text, 'deltav_pipeline_runs_total', 'two')).toContain('deltav_pipeline_runs_total{pipeline="two",outcome="success"} 1');
    expect(familyCount(text, 'deltav_pipeline_runs_total counter')).toBe(1);
    expect(familyCount(text, 'process_cpu_seconds_total counter')).toBe(1);
    expect(seriesOf(text, 'deltav_build_info')).toEqual(['deltav_build_info{version="1.0.0"} 1']);
  });

  it('reuses families another copy registered', async () => {
    const registry = new Registry();
    const foreign = new Counter({ name: 'deltav_pipeline_runs_total', help: 'Registered elsewhere.', labelNames: ['pipeline', 'outcome'], registers: [registry] });
    const scheduler = new Scheduler();
    scheduler.addPipeline(pipeline('ok'));

    instrumentScheduler(scheduler, { registry, defaultMetrics: false });
    await scheduler.runNow('ok');

    expect((await foreign.get()).values).toContainEqual({ labels: { pipeline: 'ok', outcome: 'success' }, value: 1 });
  });

  it('removes every series of a removed pipeline', async () => {
    const registry = new Registry();
    const scheduler = new Scheduler();
    scheduler.addPipeline(
      new Pipeline(
        {
          fetch: async (context) => {
            context.emit('http.request', { method: 'GET', statusCode: 200, statusClass: '2xx', durationMs: 5, notModified: false });
            return { body: 'x' };
          },
        },
        { write: async () => {} },
        { name: 'gone' },
      ),
    );
    scheduler.addPipeline(pipeline('kept'));
    instrumentScheduler(scheduler, { registry, defaultMetrics: false });
    await scheduler.runNow('gone');
    expect(await gatherText(registry)).toContain('deltav_http_requests_total{pipeline="gone",status_class="2xx"} 1');

    await scheduler.removePipeline('gone');
    const text = await gatherText(registry);

    expect(text).not.toContain('pipeline="gone"');
    expect(text).toContain('deltav_pipeline_runs_total{pipeline="kept",outcome="success"} 0');
  });

  it('creates series at zero for an added pipeline', async () => {
    const registry = new Registry();
    const scheduler = new Scheduler();
    instrumentScheduler(scheduler, { registry, defaultMetrics: false });

    scheduler.addPipeline(pipeline('late_comer'));
    const text = await gatherText(registry);

    expect(seriesOf(text, 'deltav_pipeline_runs_total', 'late_comer')).toHaveLength(4);
    expect(seriesOf(text, 'deltav_pipeline_errors_total', 'late_comer')).toHaveLength(12);
    expect(seriesOf(text, 'deltav_pipeline_runs_in_flight', 'late_comer')).toEqual(['deltav_pipeline_runs_in_flight{pipeline="late_comer"} 0']);
  });

  it('stops counting after uninstrument', async () => {
    const registry = new Registry();
    const scheduler = new Scheduler();
    scheduler.addPipeline(pipeline('ok'));
    const uninstrument = instrumentScheduler(scheduler, { registry, defaultMetrics: false });

    uninstrument();
    await scheduler.runNow('ok');

    expect(await gatherText(registry)).toContain('deltav_pipeline_runs_total{pipeline="ok",outcome="success"} 0');
  });

  it('counts retries and lateness from events', async () => {
    const registry = new Registry();
    const scheduler = eventSource();
    instrumentScheduler(scheduler, { registry, defaultMetrics: false });
    const error = Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' });

    scheduler.emit('pipelineAdded', { pipeline: 'flaky' });
    scheduler.emit('runStarted', { pipeline: 'flaky', runId: 'r1', scheduledAt: new Date(0), startedAt: new Date(1500), lateMs: 1500 });
    scheduler.emit('attemptFailed', { pipeline: 'flaky', runId: 'r1', stage: 'source', attempt: 1, error, willRetry: true, retryInMs: 100 });
    scheduler.emit('attemptFailed', { pipeline: 'flaky', runId: 'r1', stage: 'source', attempt: 2, error, willRetry: true, retryInMs: 200 });
    const text = await gatherText(registry);

    expect(seriesOf(text, 'deltav_pipeline_retries_total', 'flaky')).toEqual([
      'deltav_pipeline_retries_total{pipeline="flaky",stage="source"} 2',
      'deltav_pipeline_retries_total{pipeline="flaky",stage="destination"} 0',
    ]);
    expect(seriesOf(text, 'deltav_pipeline_errors_total', 'flaky')).toContain('deltav_pipeline_errors_total{pipeline="flaky",stage="source",kind="network"} 2');
    expect(seriesOf(text, 'deltav_pipeline_schedule_lateness_seconds_sum', 'flaky')).toEqual(['deltav_pipeline_schedule_lateness_seconds_sum{pipeline="flaky"} 1.5']);
    expect(seriesOf(text, 'deltav_pipeline_schedule_lateness_seconds_bucket', 'flaky')).toContain(
      'deltav_pipeline_schedule_lateness_seconds_bucket{le="1",pipeline="flaky"} 0',
    );
    expect(seriesOf(text, 'deltav_pipeline_runs_in_flight', 'flaky')).toEqual(['deltav_pipeline_runs_in_flight{pipeline="flaky"} 1']);
  });

  it('ignores malformed http.request events', async () => {
    const registry = new Registry();
    const scheduler = eventSource();
    instrumentScheduler(scheduler, { registry, defaultMetrics: false });

    scheduler.emit('plugin', { pipeline: 'p', runId: 'r', type: 'http.request', data: { statusClass: 'https://example.invalid/' } });
    scheduler.emit('plugin', { pipeline: 'p', runId: 'r', type: 'other.event', data: { statusClass: '2xx' } });

    expect(await gatherText(registry)).not.toContain('deltav_http_requests_total{');
  });

  it('uses custom buckets', async () => {
    const registry = new Registry();
    const scheduler = new Scheduler();
    scheduler.addPipeline(pipeline('ok'));
    instrumentScheduler(scheduler, { registry, defaultMetrics: false, buckets: { runDuration: [1, 60] } });

    await scheduler.runNow('ok');

    expect(seriesOf(await gatherText(registry), 'deltav_pipeline_run_duration_seconds_bucket', 'ok')).toEqual([
      'deltav_pipeline_run_duration_seconds_bucket{le="1",pipeline="ok"} 1',
      'deltav_pipeline_run_duration_seconds_bucket{le="60",pipeline="ok"} 1',
      'deltav_pipeline_run_duration_seconds_bucket{le="+Inf",pipeline="ok"} 1',
    ]);
  });
});

describe('default collectors', () => {
  it('are on by default', async () => {
    const registry = new Registry();
    instrumentScheduler(new Scheduler(), { registry });

    const text = await gatherText(registry);

    expect(familyCount(text, 'process_cpu_seconds_total counter')).toBe(1);
    expect(familyCount(text, 'nodejs_heap_size_used_bytes gauge')).toBe(1);
    expect(text).not.toContain('nodejs_active_handles_total');
  });

  it('can be turned off', async () => {
    const registry = new Registry();
    instrumentScheduler(new Scheduler(), { registry, defaultMetrics: false });

    expect(await gatherText(registry)).not.toContain('process_cpu_seconds_total');
  });

  it('take a prefix', async () => {
    const registry = new Registry();
    instrumentScheduler(new Scheduler(), { registry, defaultMetrics: { prefix: 'deltav_' } });

    const text = await gatherText(registry);

    expect(familyCount(text, 'deltav_process_cpu_seconds_total counter')).toBe(1);
    expect(text).not.toContain('\nprocess_cpu_seconds_total');
  });
});

describe('instrumentScheduler options', () => {
  const cases: Array<[string, object, RegExp]> = [
    ['buckets out of order', { buckets: { runDuration: [1, 0.5] } }, /invalid buckets\.runDuration \[1,0\.5\]/],
    ['an unknown bucket key', { buckets: { runtime: [1] } }, /unknown buckets\.runtime/],
    ['an invalid prefix', { defaultMetrics: { prefix: '9x' } }, /invalid defaultMetrics\.prefix "9x"/],
    ['an empty build version', { buildVersion: '' }, /invalid buildVersion ""/],
    ['a registry that is not one', { registry: {} }, /invalid registry/],
  ];

  it.each(cases)('rejects %s', (_name, options, message) => {
    expect(() => instrumentScheduler(new Scheduler(), options)).toThrow(message);
    expect(() => instrumentScheduler(new Scheduler(), options)).toThrow(expect.objectContaining({ code: 'DELTAV_INVALID_OPTION' }));
  });
});
