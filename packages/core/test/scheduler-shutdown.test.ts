import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pipeline, Scheduler, type RunContext } from '../src/index.js';
import { listSource, memoryDestination } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('scheduler shutdown', () => {
  it('runs shutdown hooks and closes plugins on startWithShutdown', async () => {
    const source = listSource({ body: 'a' });
    const destination = memoryDestination();
    const calls: string[] = [];
    const pipeline = new Pipeline(source, destination, { name: 'p', intervalMs: 60_000 })
      .onShutdown(() => {
        calls.push('first');
      })
      .onShutdown(async () => {
        calls.push('second');
      });
    const scheduler = new Scheduler();
    scheduler.addPipeline(pipeline);
    const controller = new AbortController();

    const done = scheduler.startWithShutdown(controller.signal);
    await vi.waitFor(() => expect(destination.written).toHaveLength(1));
    controller.abort();
    await done;

    expect(calls).toEqual(['first', 'second']);
    expect(source.closed).toBe(1);
    expect(destination.closed).toBe(1);
    expect(scheduler.state).toBe('stopped');
  });

  it('accepts a promise as the shutdown trigger', async () => {
    const scheduler = new Scheduler();
    let hookRan = false;
    scheduler.addPipeline(
      new Pipeline(listSource(null), memoryDestination(), { name: 'p' }).onShutdown(() => {
        hookRan = true;
      }),
    );

    await scheduler.startWithShutdown(Promise.resolve());

    expect(hookRan).toBe(true);
  });

  it('keeps running hooks after one fails', async () => {
    const scheduler = new Scheduler();
    const calls: string[] = [];
    scheduler.addPipeline(
      new Pipeline(listSource(null), memoryDestination(), { name: 'p' })
        .onShutdown(() => {
          throw new Error('hook failed');
        })
        .onShutdown(() => {
          calls.push('ran');
        }),
    );

    await scheduler.stop();

    expect(calls).toEqual(['ran']);
  });

  it('waits for a run in flight before resolving', async () => {
    let release!: () => void;
    const source = {
      fetch: () => new Promise<{ body: string }>((resolve) => (release = () => resolve({ body: 'late' }))),
    };
    const destination = memoryDestination();
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, destination, { name: 'p' }));
    scheduler.start();
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));

    const stopped = scheduler.stop();
    release();
    await stopped;

    expect(destination.written.map((entry) => entry.text)).toEqual(['late']);
  });

  it('aborts a run that outlasts the shutdown timeout', async () => {
    vi.useFakeTimers();
    let seen: RunContext | undefined;
    const source = {
      // Ignores its signal on purpose: the scheduler must not wait for it.
      fetch: (context: RunContext) => {
        seen = context;
        return new Promise<never>(() => {});
      },
    };
    const scheduler = new Scheduler({ shutdownTimeoutMs: 1000 });
    scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'p', timeoutMs: 60_000 }));
    const finished: string[] = [];
    scheduler.on('runFinished', (event) => finished.push(`${event.outcome}:${(event.error as { code?: string } | undefined)?.code}`));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);

    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(1000);
    await stopped;

    expect(seen?.signal.aborted).toBe(true);
    expect(finished).toEqual(['failure:DELTAV_RUN_ABORTED']);
  });

  it('rejects work after stop with a code', async () => {
    const scheduler = new Scheduler();
    await scheduler.stop();

    expect(() => scheduler.start()).toThrow(expect.objectContaining({ code: 'DELTAV_SCHEDULER_STOPPED' }));
  });
});
