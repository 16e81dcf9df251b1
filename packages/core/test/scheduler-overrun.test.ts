import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pipeline, Scheduler, type OverrunPolicy, type RunSkippedEvent } from '../src/index.js';
import { memoryDestination } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

const T = 1000;

/** Runs a pipeline whose runs take `runMs`, and records when runs start and end. */
async function simulate(policy: OverrunPolicy, runMs: number, totalMs: number, maxConcurrency?: number) {
  vi.useFakeTimers({ now: 0 });
  let running = 0;
  let peak = 0;
  const source = {
    fetch: () =>
      new Promise<{ body: string }>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        setTimeout(() => {
          running--;
          resolve({ body: 'x' });
        }, runMs);
      }),
  };
  const pipeline = new Pipeline(source, memoryDestination(), { name: 'slow', intervalMs: T }).setOverrun(
    policy,
    maxConcurrency === undefined ? {} : { maxConcurrency },
  );
  const scheduler = new Scheduler();
  scheduler.addPipeline(pipeline);
  const starts: number[] = [];
  const skipped: RunSkippedEvent[] = [];
  scheduler.on('runStarted', (event) => starts.push(event.startedAt.getTime()));
  scheduler.on('runSkipped', (event) => skipped.push(event));

  scheduler.start();
  await vi.advanceTimersByTimeAsync(totalMs);
  scheduler.stop();
  await vi.advanceTimersByTimeAsync(runMs);
  return { starts, skipped, peak };
}

describe('overrun policies', () => {
  it('skip starts runs at 0, 2T, 4T when runs take 1.7T', async () => {
    const { starts, skipped, peak } = await simulate('skip', 1.7 * T, 6.5 * T);

    expect(starts).toEqual([0, 2 * T, 4 * T, 6 * T]);
    expect(peak).toBe(1);
    expect(skipped.map((event) => event.scheduledAt.getTime())).toEqual([T, 3 * T, 5 * T]);
    expect(skipped.every((event) => event.reason === 'overrun')).toBe(true);
  });

  it('queue starts one pending run when the current ends', async () => {
    const { starts, peak } = await simulate('queue', 1.7 * T, 4 * T);

    // Run 0 ends at 1.7T and starts the run queued at T; it ends at 3.4T and starts the one queued at 2T or 3T.
    expect(starts).toEqual([0, 1.7 * T, 3.4 * T]);
    expect(peak).toBe(1);
  });

  it('queue keeps at most one pending run', async () => {
    const { starts, skipped, peak } = await simulate('queue', 3.5 * T, 4 * T);

    expect(starts).toEqual([0, 3.5 * T]);
    expect(skipped.map((event) => event.scheduledAt.getTime())).toEqual([2 * T, 3 * T]);
    expect(peak).toBe(1);
  });

  it('overlap runs concurrently up to the bound', async () => {
    const { starts, skipped, peak } = await simulate('overlap', 2.5 * T, 5 * T, 2);

    expect(peak).toBe(2);
    expect(starts).toEqual([0, T, 3 * T, 4 * T]);
    expect(skipped.map((event) => event.scheduledAt.getTime())).toEqual([2 * T, 5 * T]);
  });

  it('rejects an unknown policy', () => {
    const pipeline = new Pipeline({ fetch: async () => null }, memoryDestination());

    expect(() => pipeline.setOverrun('pile-up' as OverrunPolicy)).toThrow(expect.objectContaining({ code: 'DELTAV_INVALID_OPTION' }));
    expect(() => pipeline.setOverrun('overlap', { maxConcurrency: 0 })).toThrow(/maxConcurrency 0/);
  });
});
