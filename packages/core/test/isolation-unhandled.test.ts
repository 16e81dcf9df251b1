import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pipeline, Scheduler, type RunContext } from '../src/index.js';
import { memoryDestination } from './helpers.js';

let unhandled: unknown[] = [];
const collect = (reason: unknown) => unhandled.push(reason);

beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', collect);
});

afterEach(() => {
  process.off('unhandledRejection', collect);
  vi.useRealTimers();
});

/** Lets pending rejections surface as `unhandledRejection` events. */
async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('no unhandled rejections', () => {
  it('survives every kind of misbehaving plugin, hook and listener', async () => {
    const scheduler = new Scheduler({ shutdownTimeoutMs: 50, hookTimeoutMs: 50 });
    scheduler.addPipeline(
      new Pipeline({ fetch: () => Promise.reject(new Error('rejecting source')) }, memoryDestination(), { name: 'rejects' }),
    );
    scheduler.addPipeline(
      new Pipeline(
        {
          fetch: () => {
            throw new Error('throwing source');
          },
        },
        memoryDestination(),
        { name: 'throws' },
      ),
    );
    scheduler.addPipeline(
      new Pipeline(
        {
          // Ignores its signal, then rejects long after the run timed out.
          fetch: () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late rejection')), 100)),
          close: () => Promise.reject(new Error('close failed')),
        },
        { write: () => Promise.reject(new Error('never called')), close: () => Promise.reject(new Error('close failed')) },
        { name: 'late', timeoutMs: 10 },
      ).onShutdown(() => Promise.reject(new Error('hook rejected'))),
    );
    scheduler.addPipeline(
      new Pipeline({ fetch: async () => ({ body: 'x' }) }, { write: () => Promise.reject(new Error('rejecting destination')) }, { name: 'dest' }),
    );
    scheduler.on('runFinished', async () => {
      throw new Error('async listener rejected');
    });
    scheduler.on('runStarted', () => {
      throw new Error('sync listener threw');
    });
    const isolated: string[] = [];
    scheduler.on('isolatedError', (event) => isolated.push(`${event.origin}:${event.pipeline ?? '-'}:${event.error.message}`));

    const results = await Promise.all(['rejects', 'throws', 'late', 'dest'].map((name) => scheduler.runNow(name)));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await scheduler.stop();
    await flush();

    expect(results.map((result) => result.outcome)).toEqual(['failure', 'failure', 'failure', 'failure']);
    expect(unhandled).toEqual([]);
    expect(isolated.filter((entry) => entry === 'listener:-:sync listener threw')).toHaveLength(4);
    expect(isolated.filter((entry) => entry === 'listener:-:async listener rejected')).toHaveLength(4);
    expect(isolated).toContain('hook:late:hook rejected');
    expect(isolated.filter((entry) => entry === 'close:late:close failed')).toHaveLength(2);
  });

  it('survives a hook that never settles', async () => {
    vi.useFakeTimers();
    const scheduler = new Scheduler({ hookTimeoutMs: 1000 });
    const ran: string[] = [];
    scheduler.addPipeline(
      new Pipeline({ fetch: async () => null }, memoryDestination(), { name: 'p' })
        .onShutdown(() => new Promise<void>(() => {}))
        .onShutdown(() => {
          ran.push('second');
        }),
    );

    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(1000);
    await stopped;

    expect(ran).toEqual(['second']);
  });

  it('aborts the signal of a run on forced shutdown', async () => {
    let signal: AbortSignal | undefined;
    const scheduler = new Scheduler({ shutdownTimeoutMs: 10 });
    scheduler.addPipeline(
      new Pipeline(
        {
          fetch: (context: RunContext) =>
            new Promise((_resolve, reject) => {
              signal = context.signal;
              context.signal.addEventListener('abort', () => reject(context.signal.reason));
            }),
        },
        memoryDestination(),
        { name: 'p' },
      ),
    );
    scheduler.start();
    await vi.waitFor(() => expect(signal).toBeDefined());

    await scheduler.stop();
    await flush();

    expect(signal!.aborted).toBe(true);
    expect(unhandled).toEqual([]);
  });
});
