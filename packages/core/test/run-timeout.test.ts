import { afterEach, describe, expect, it, vi } from 'vitest';
import { markRetryable, Pipeline, Scheduler, type RunContext, type RunFinishedEvent } from '../src/index.js';
import { memoryDestination } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('run timeout', () => {
  it('reports a source that ignores its signal as timed out', async () => {
    vi.useFakeTimers({ now: 0 });
    const signals: AbortSignal[] = [];
    let calls = 0;
    const source = {
      fetch: (context: RunContext) => {
        signals.push(context.signal);
        // The first call never settles and ignores its signal; later calls succeed.
        return ++calls === 1 ? new Promise<never>(() => {}) : Promise.resolve({ body: 'next' });
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'p', intervalMs: 10_000, timeoutMs: 3000 }));
    const finished: RunFinishedEvent[] = [];
    scheduler.on('runFinished', (event) => finished.push(event));

    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    await scheduler.stop();

    expect(finished).toHaveLength(2);
    expect(finished[0]).toMatchObject({ outcome: 'failure', stage: 'source', timedOut: true, error: expect.objectContaining({ code: 'DELTAV_RUN_TIMEOUT' }) });
    expect(finished[0]!.durationMs).toBe(3000);
    expect(signals[0]!.aborted).toBe(true);
    expect(finished[1]).toMatchObject({ outcome: 'success', timedOut: false });
  });

  it('gives up retrying when the deadline passes', async () => {
    vi.useFakeTimers({ now: 0 });
    let calls = 0;
    const source = {
      fetch: async () => {
        calls++;
        throw markRetryable(new Error('flaky'));
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'p', timeoutMs: 1000, retry: { maxAttempts: 100, initialDelayMs: 400, multiplier: 1 } }));
    vi.spyOn(Math, 'random').mockReturnValue(1);

    const done = scheduler.runNow('p');
    await vi.advanceTimersByTimeAsync(1000);
    const result = await done;
    vi.restoreAllMocks();

    expect(result.outcome).toBe('failure');
    expect(result.error?.message).toBe('flaky');
    expect(calls).toBe(3);
  });

  it('passes the signal to the destination', async () => {
    let seen: AbortSignal | undefined;
    const destination = {
      write: async (_payload: unknown, context: RunContext) => {
        seen = context.signal;
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline({ fetch: async () => ({ body: 'x' }) }, destination, { name: 'p' }));

    await scheduler.runNow('p');

    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen!.aborted).toBe(false);
  });
});
