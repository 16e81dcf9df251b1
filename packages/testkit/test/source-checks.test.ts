import { afterEach, describe, expect, it } from 'vitest';
import { checkSource, sourceChecks } from '../src/index.js';
import { fixtureSourceOptions, leakedTimers, SOURCE_DEFECTS, type SourceDefect } from './fixtures/broken-source.js';

afterEach(() => {
  for (const timer of leakedTimers) clearInterval(timer);
  leakedTimers.clear();
});

const EXPECTED: Record<SourceDefect, string> = {
  'aborted-signal': 'fetch resolved although its signal was already aborted. Reject with context.signal.reason once the signal aborted.',
  'abort-mid-fetch':
    'fetch was still pending 200 ms after its signal aborted mid-fetch. Pass context.signal to every I/O call, check signal.throwIfAborted() before starting, or wrap a call that takes no signal with abortable(promise, signal) from @deltav/core.',
  payload: 'the first fetch returned an invalid payload: Invalid payload body: expected a Uint8Array, a string, an async iterable of Uint8Array or a ReadableStream, received 42.',
  'transient-retryable':
    'fetch failed with Error [ECONNRESET]: connection reset by the fixture, but the error is not marked retryable. Mark transient failures with markRetryable(error, retryAfterMs) from @deltav/core, or throw new DeltavError(code, message, { retryable: true }).',
  'close-before-use': 'the first close() before any fetch failed with Error: not connected yet. close() must succeed whether or not the plugin was used.',
  'close-after-use': 'the second close() after a fetch failed with Error: already closed. close() must be idempotent: return at once when already closed.',
  'no-unhandled-rejections':
    '4 unhandled rejection(s) during fetch, abort and close: Error: background refresh failed (4 times). Await or catch every promise the plugin starts.',
  'no-open-handles': "still open 200 ms after close() resolved: 4 Timeout. close() must clear the plugin's timers and close its sockets and files.",
};

describe('source checks', () => {
  it('pass a correct source', async () => {
    const results = await checkSource(fixtureSourceOptions());

    expect(results.map((result) => [result.id, result.status, result.message])).toEqual(sourceChecks.map((check) => [check.id, 'pass', undefined]));
  });

  it('cover every defect', () => {
    expect(Object.keys(SOURCE_DEFECTS).sort()).toEqual(sourceChecks.map((check) => check.id).sort());
  });

  // Only the check a defect targets runs, so a leaked rejection or timer stays inside that check.
  it.each(Object.keys(SOURCE_DEFECTS) as SourceDefect[])('fail on %s', async (defect) => {
    const [result, ...others] = await checkSource(fixtureSourceOptions(defect), [defect]);

    expect(others).toEqual([]);
    expect(result!.status).toBe('fail');
    expect(result!.message).toBe(EXPECTED[defect]);
    expect(result!.error).toMatchObject({ name: 'ConformanceError', code: 'DELTAV_CONFORMANCE_FAILED', check: defect });
  });

  it('skip scenarios not given', async () => {
    const { stalled: _stalled, transientFailure: _transient, ...options } = fixtureSourceOptions();

    const results = await checkSource(options, ['abort-mid-fetch', 'transient-retryable']);

    expect(results).toEqual([
      { id: 'abort-mid-fetch', title: 'fetch rejects soon after an abort mid-fetch', status: 'skip', message: 'no stalled scenario given' },
      { id: 'transient-retryable', title: 'fetch marks transient failures retryable', status: 'skip', message: 'no transientFailure scenario given' },
    ]);
  });

  it('fail on a stalled scenario that settles', async () => {
    const options = fixtureSourceOptions();
    const [result] = await checkSource(
      {
        ...options,
        stalled: () => ({
          source: {
            fetch: async () => {
              throw new Error('connection refused');
            },
          },
          started: Promise.resolve(),
        }),
      },
      ['abort-mid-fetch'],
    );

    expect(result!.message).toBe('fetch rejected before the abort; the stalled scenario must keep fetch pending until its signal aborts.');
  });
});
