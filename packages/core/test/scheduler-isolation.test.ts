import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pipeline, Scheduler, type Logger, type RunFinishedEvent } from '../src/index.js';
import { listSource, memoryDestination } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('scheduler failure isolation', () => {
  it('counts a failing source and keeps running other pipelines', async () => {
    vi.useFakeTimers();
    const scheduler = new Scheduler();
    const healthy = memoryDestination();
    scheduler.addPipeline(new Pipeline(listSource(new Error('upstream down')), memoryDestination(), { name: 'broken', intervalMs: 1000 }));
    scheduler.addPipeline(new Pipeline(listSource({ body: 'ok' }), healthy, { name: 'healthy', intervalMs: 1000 }));
    const finished: RunFinishedEvent[] = [];
    scheduler.on('runFinished', (event) => finished.push(event));

    scheduler.start();
    await vi.advanceTimersByTimeAsync(2500);
    await scheduler.stop();

    const broken = finished.filter((event) => event.pipeline === 'broken');
    expect(broken).toHaveLength(3);
    expect(broken.every((event) => event.outcome === 'failure' && event.stage === 'source')).toBe(true);
    expect(broken[0]!.error?.message).toBe('upstream down');
    expect(healthy.written.map((entry) => entry.text)).toEqual(['ok', 'ok', 'ok']);
  });

  it('reports a throwing destination as a destination failure', async () => {
    const scheduler = new Scheduler();
    const destination = { write: () => Promise.reject(new Error('disk gone')) };
    scheduler.addPipeline(new Pipeline(listSource({ body: 'x' }), destination, { name: 'p' }));

    const result = await scheduler.runNow('p');
    await scheduler.stop();

    expect(result.outcome).toBe('failure');
    expect(result.stage).toBe('destination');
    expect(result.bytes).toBe(1);
  });

  it('logs a throwing listener without stopping the run', async () => {
    const errors: unknown[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn() {},
      error: (fields: unknown) => {
        errors.push(fields);
      },
      child: () => logger,
    };
    const scheduler = new Scheduler({ logger });
    scheduler.addPipeline(new Pipeline(listSource({ body: 'x' }), memoryDestination(), { name: 'p' }));
    scheduler.on('runFinished', () => {
      throw new Error('listener bug');
    });

    const result = await scheduler.runNow('p');
    await scheduler.stop();

    expect(result.outcome).toBe('success');
    expect(errors).toHaveLength(1);
  });

  it('treats null from a source as unchanged without writing', async () => {
    const scheduler = new Scheduler();
    const destination = memoryDestination();
    scheduler.addPipeline(new Pipeline(listSource(null), destination, { name: 'p' }));

    const result = await scheduler.runNow('p');
    await scheduler.stop();

    expect(result.outcome).toBe('unchanged');
    expect(destination.written).toHaveLength(0);
  });

  it('rejects duplicate pipeline names with a code', () => {
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(listSource(null), memoryDestination(), { name: 'same' }));

    expect(() => scheduler.addPipeline(new Pipeline(listSource(null), memoryDestination(), { name: 'same' }))).toThrow(
      expect.objectContaining({ code: 'DELTAV_DUPLICATE_PIPELINE' }),
    );
  });
});
