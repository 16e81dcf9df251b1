import { Pipeline, Scheduler, type Destination, type RunContext, type Source } from '@deltav/core';
import { Registry } from 'prom-client';
import { vi } from 'vitest';
import { instrumentScheduler } from '../src/index.js';

/** The wall clock at the start of every scripted scenario: 2026-01-02T00:00:00Z. */
export const START_SECONDS = 1767312000;

type Fetch = (context: RunContext) => ReturnType<Source['fetch']>;

function pipeline(name: string, fetch: Fetch, options: { intervalMs?: number; timeoutMs?: number; write?: Destination['write'] } = {}): Pipeline {
  const write = options.write ?? (async () => {});
  return new Pipeline({ fetch }, { write }, { name, ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
}

function httpRequest(context: RunContext, statusCode: number | undefined, durationMs: number): void {
  const statusClass = statusCode === undefined ? 'none' : `${Math.floor(statusCode / 100)}xx`;
  context.emit('http.request', { method: 'GET', statusCode, statusClass, durationMs, notModified: statusCode === 304 });
}

function codedError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

/** Installs fake timers for `setTimeout`, `Date` and `performance`, starting at `START_SECONDS`. */
export function useScriptClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'], now: START_SECONDS * 1000 });
}

/**
 * Runs a fixed script of pipelines through three real schedulers instrumented into one
 * registry, under fake timers (install them with `useScriptClock` first):
 * - `fetch_ok` succeeds twice with 5 bytes, 300 ms each, after an HTTP 200 of 120 ms;
 * - `fetch_cached` is unchanged after an HTTP 304 of 40 ms;
 * - `fetch_broken` fails with an HTTP 503 of 1500 ms;
 * - `fetch_refused` fails with a network error after 2 ms and no response;
 * - `write_full` fetches 2000 bytes and fails to write them with ENOSPC;
 * - `fetch_slow` times out after its 500 ms timeout, its source holding on for 1 s;
 * - `overrun` (interval 1 s) keeps its first run going for 2 s, so two slots are skipped as overruns;
 * - `late_slot` (interval 1 s) blocks the process for 2.5 s in its first run, so two slots are skipped as late.
 * `inFlight` is called while the `overrun` run is still going.
 */
export async function runScript(registry: Registry, inFlight: () => Promise<void> = async () => {}): Promise<void> {
  const main = new Scheduler();
  main.addPipeline(
    pipeline('fetch_ok', async (context) => {
      httpRequest(context, 200, 120);
      vi.advanceTimersByTime(300);
      return { body: 'hello' };
    }),
  );
  main.addPipeline(
    pipeline('fetch_cached', async (context) => {
      httpRequest(context, 304, 40);
      return null;
    }),
  );
  main.addPipeline(
    pipeline('fetch_broken', async (context) => {
      httpRequest(context, 503, 1500);
      throw codedError('GET http://127.0.0.1/data answered 503', { code: 'DELTAV_HTTP_STATUS', statusCode: 503 });
    }),
  );
  main.addPipeline(
    pipeline('fetch_refused', async (context) => {
      httpRequest(context, undefined, 2);
      throw codedError('connect ECONNREFUSED 127.0.0.1:9', { code: 'DELTAV_HTTP_NETWORK' });
    }),
  );
  main.addPipeline(
    pipeline('write_full', async () => ({ body: 'x'.repeat(2000) }), {
      write: async () => {
        throw codedError('ENOSPC: no space left on device', { code: 'ENOSPC' });
      },
    }),
  );
  main.addPipeline(
    pipeline(
      'fetch_slow',
      () => {
        vi.advanceTimersByTime(1000);
        return new Promise(() => {});
      },
      { timeoutMs: 500 },
    ),
  );
  instrumentScheduler(main, { registry, defaultMetrics: false, buildVersion: '1.2.3' });

  await main.runNow('fetch_ok');
  await main.runNow('fetch_ok');
  for (const name of ['fetch_cached', 'fetch_broken', 'fetch_refused', 'write_full', 'fetch_slow']) await main.runNow(name);
  await main.stop();

  let release = (): void => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const timed = new Scheduler();
  timed.addPipeline(
    pipeline(
      'overrun',
      async () => {
        await held;
        return { body: 'ok' };
      },
      { intervalMs: 1000 },
    ),
  );
  instrumentScheduler(timed, { registry, defaultMetrics: false });
  timed.start();
  await vi.advanceTimersByTimeAsync(0);
  await vi.advanceTimersByTimeAsync(2000);
  await inFlight();
  release();
  await timed.stop();

  let blockedOnce = false;
  const blocked = new Scheduler();
  blocked.addPipeline(
    pipeline(
      'late_slot',
      async () => {
        if (!blockedOnce) vi.advanceTimersByTime(2500);
        blockedOnce = true;
        return { body: 'late' };
      },
      { intervalMs: 1000 },
    ),
  );
  instrumentScheduler(blocked, { registry, defaultMetrics: false });
  blocked.start();
  await vi.advanceTimersByTimeAsync(0);
  await vi.advanceTimersByTimeAsync(1000);
  await blocked.stop();
}

/** Returns the lines of an exposition for one metric name (exactly, or with a suffix) and one pipeline. */
export function seriesOf(text: string, name: string, pipeline?: string): string[] {
  return text.split('\n').filter((line) => {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) return false;
    return pipeline === undefined || line.includes(`pipeline="${pipeline}"`);
  });
}
