import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_RETRY,
  DeltavError,
  markRetryable,
  nextRetryDelay,
  Pipeline,
  Scheduler,
  type AttemptFailedEvent,
  type PayloadInit,
} from '../src/index.js';
import { memoryDestination } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('nextRetryDelay', () => {
  const policy = { ...DEFAULT_RETRY, maxAttempts: 10, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };
  const retryable = markRetryable(new Error('busy'));

  it('bounds full jitter by the exponential cap', () => {
    const bounds = [1, 2, 3, 4, 5, 6].map((attempt) => nextRetryDelay(policy, retryable, attempt, 0, Number.POSITIVE_INFINITY, () => 1));
    const floors = [1, 2, 3].map((attempt) => nextRetryDelay(policy, retryable, attempt, 0, Number.POSITIVE_INFINITY, () => 0));

    expect(bounds).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(floors).toEqual([0, 0, 0]);
  });

  it('does not retry final errors or the last attempt', () => {
    expect(nextRetryDelay(policy, new Error('final'), 1, 0, Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(nextRetryDelay(policy, retryable, 10, 0, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('honours retry-after within the cap', () => {
    const hinted = markRetryable(new Error('slow down'), 5000);
    const capped = markRetryable(new Error('come back tomorrow'), 86_400_000);

    expect(nextRetryDelay(policy, hinted, 1, 0, Number.POSITIVE_INFINITY, () => 0.5)).toBe(5000);
    expect(nextRetryDelay({ ...policy, maxElapsedMs: 600_000 }, capped, 1, 0, Number.POSITIVE_INFINITY, () => 0.5)).toBe(policy.retryAfterCapMs);
  });

  it('stops at the elapsed budget and the run deadline', () => {
    expect(nextRetryDelay({ ...policy, maxElapsedMs: 1000 }, retryable, 1, 950, Number.POSITIVE_INFINITY, () => 1)).toBeUndefined();
    expect(nextRetryDelay(policy, retryable, 1, 0, 50, () => 1)).toBeUndefined();
  });
});

describe('stage retries', () => {
  it('retries a retryable source failure with backoff', async () => {
    vi.useFakeTimers({ now: 0 });
    vi.spyOn(Math, 'random').mockReturnValue(1);
    let calls = 0;
    const attemptsSeen: number[] = [];
    const source = {
      fetch: async (context: { attempt: number }): Promise<PayloadInit> => {
        attemptsSeen.push(context.attempt);
        if (++calls < 3) throw new DeltavError('TEST_BUSY', 'busy', { retryable: true });
        return { body: 'third time' };
      },
    };
    const destination = memoryDestination();
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, destination, { name: 'p', retry: { initialDelayMs: 100, maxAttempts: 5 } }));
    const failures: AttemptFailedEvent[] = [];
    scheduler.on('attemptFailed', (event) => failures.push(event));

    const done = scheduler.runNow('p');
    await vi.advanceTimersByTimeAsync(300);
    const result = await done;

    expect(result.outcome).toBe('success');
    expect(result.attempts).toEqual({ source: 3, destination: 1 });
    expect(attemptsSeen).toEqual([1, 2, 3]);
    expect(failures.map((event) => [event.stage, event.attempt, event.willRetry, event.retryInMs])).toEqual([
      ['source', 1, true, 100],
      ['source', 2, true, 200],
    ]);
    expect(destination.written.map((entry) => entry.text)).toEqual(['third time']);
  });

  it('does not retry a final failure', async () => {
    let calls = 0;
    const source = {
      fetch: async (): Promise<PayloadInit> => {
        calls++;
        throw new DeltavError('TEST_BAD_REQUEST', 'bad request');
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'p' }));

    const result = await scheduler.runNow('p');

    expect(result.outcome).toBe('failure');
    expect(calls).toBe(1);
    expect(result.error).toMatchObject({ code: 'TEST_BAD_REQUEST' });
  });

  it('retries the destination without fetching again', async () => {
    vi.useFakeTimers({ now: 0 });
    let fetches = 0;
    const writes: string[] = [];
    const source = {
      fetch: async (): Promise<PayloadInit> => {
        fetches++;
        return { body: 'payload' };
      },
    };
    const destination = {
      write: async (payload: { text(): Promise<string> }) => {
        writes.push(await payload.text());
        if (writes.length < 3) throw markRetryable(new Error('disk busy'));
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, destination, { name: 'p' }).setRetry({ initialDelayMs: 10, maxAttempts: 3 }, 'destination'));

    const done = scheduler.runNow('p');
    await vi.advanceTimersByTimeAsync(100);
    const result = await done;

    expect(result.outcome).toBe('success');
    expect(fetches).toBe(1);
    expect(writes).toEqual(['payload', 'payload', 'payload']);
    expect(result.attempts).toEqual({ source: 1, destination: 3 });
  });

  it('waits for a retry-after hint', async () => {
    vi.useFakeTimers({ now: 0 });
    const starts: number[] = [];
    const source = {
      fetch: async (): Promise<PayloadInit> => {
        starts.push(Date.now());
        if (starts.length === 1) throw markRetryable(new Error('429'), 7000);
        return { body: 'ok' };
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'p', retry: { initialDelayMs: 10 } }));

    const done = scheduler.runNow('p');
    await vi.advanceTimersByTimeAsync(7000);
    const result = await done;

    expect(result.outcome).toBe('success');
    expect(starts).toEqual([0, 7000]);
  });

  it('rejects invalid retry options', () => {
    const pipeline = new Pipeline({ fetch: async () => null }, memoryDestination(), { name: 'p' });

    expect(() => pipeline.setRetry({ maxAttempts: 0 })).toThrow(/retry.maxAttempts 0/);
    expect(() => pipeline.setRetry({ initialDelayMs: -1 })).toThrow(expect.objectContaining({ code: 'DELTAV_INVALID_OPTION' }));
    expect(() => pipeline.setRetry({}, 'sink' as 'source')).toThrow(/invalid retry stage "sink"/);
  });
});
