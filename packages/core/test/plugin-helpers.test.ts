import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeltavError, abortable, jsonPayload, sleep } from '../src/index.js';

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the delay', async () => {
    let done = false;
    const waiting = sleep(1_000).then(() => (done = true));

    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
  });

  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new DeltavError('DELTAV_RUN_TIMEOUT', 'run timed out');
    const waiting = sleep(60_000, controller.signal);

    controller.abort(reason);

    await expect(waiting).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once when already aborted', async () => {
    const reason = new Error('stopped');

    await expect(sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects an invalid delay', async () => {
    await expect(sleep(-1)).rejects.toMatchObject({
      code: 'DELTAV_INVALID_OPTION',
      message: 'sleep: invalid ms: expected a finite number of milliseconds >= 0, received -1.',
    });
  });
});

describe('abortable', () => {
  it('settles with the work', async () => {
    await expect(abortable(Promise.resolve('done'), new AbortController().signal)).resolves.toBe('done');
  });

  it('rejects with the abort reason first', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped');
    let failLate!: (error: Error) => void;
    const work = new Promise<string>((_resolve, reject) => (failLate = reject));
    const raced = abortable(work, controller.signal);

    controller.abort(reason);
    failLate(new Error('late failure'));

    await expect(raced).rejects.toBe(reason);
  });
});

describe('jsonPayload', () => {
  it('builds a JSON payload', () => {
    expect(jsonPayload({ count: 1 }, { origin: 'test' })).toEqual({
      body: '{"count":1}',
      contentType: 'application/json',
      metadata: { origin: 'test' },
    });
  });

  it('rejects a value without JSON form', () => {
    expect(() => jsonPayload(undefined)).toThrow(
      expect.objectContaining({ code: 'DELTAV_INVALID_PAYLOAD', message: 'jsonPayload: undefined has no JSON form. Pass an object, array, string, number, boolean or null.' }),
    );
  });
});
