import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDestination, destinationChecks } from '../src/index.js';
import { DESTINATION_DEFECTS, fixtureDestinationOptions, type DestinationDefect } from './fixtures/broken-destination.js';
import { leakedTimers } from './fixtures/broken-source.js';

afterEach(() => {
  for (const timer of leakedTimers) clearInterval(timer);
  leakedTimers.clear();
});

const EXPECTED: Record<DestinationDefect, string> = {
  'byte-for-byte':
    'readBack() differs from a payload of every byte value and UTF-8 text: wrote 292 bytes, read back 548; first difference at byte 128: expected 0x80, found 0xef.',
  'empty-payload': 'write of an empty payload resolved, but readBack() returned nothing.',
  'large-payload': 'readBack() differs from a 2097152-byte payload: wrote 2097152 bytes, read back 1048576; the read-back ends at byte 1048576.',
  'aborted-signal': 'write resolved although its signal was already aborted. Reject with context.signal.reason once the signal aborted.',
  'abort-mid-write':
    'write was still pending 200 ms after its signal aborted mid-write. Pass context.signal to every I/O call, check signal.throwIfAborted() before starting, or wrap a call that takes no signal with abortable(promise, signal) from @deltav/core.',
  'transient-retryable':
    'write failed with Error [EBUSY]: disk busy in the fixture, but the error is not marked retryable. Mark transient failures with markRetryable(error, retryAfterMs) from @deltav/core, or throw new DeltavError(code, message, { retryable: true }).',
  'close-before-use': 'the first close() before any write failed with Error: nothing to flush yet. close() must succeed whether or not the plugin was used.',
  'close-after-use': 'the second close() after a write failed with Error: already closed. close() must be idempotent: return at once when already closed.',
  'no-unhandled-rejections':
    '4 unhandled rejection(s) during write, abort and close: Error: background flush failed (4 times). Await or catch every promise the plugin starts.',
  'no-open-handles': "still open 200 ms after close() resolved: 4 Timeout. close() must clear the plugin's timers and close its sockets and files.",
};

describe('destination checks', () => {
  it('pass a correct destination', async () => {
    const results = await checkDestination(fixtureDestinationOptions());

    expect(results.map((result) => [result.id, result.status, result.message])).toEqual(destinationChecks.map((check) => [check.id, 'pass', undefined]));
  });

  it('cover every defect', () => {
    expect(Object.keys(DESTINATION_DEFECTS).sort()).toEqual(destinationChecks.map((check) => check.id).sort());
  });

  // Only the check a defect targets runs, so a leaked rejection or timer stays inside that check.
  it.each(Object.keys(DESTINATION_DEFECTS) as DestinationDefect[])('fail on %s', async (defect) => {
    const [result, ...others] = await checkDestination(fixtureDestinationOptions(defect), [defect]);

    expect(others).toEqual([]);
    expect(result!.status).toBe('fail');
    expect(result!.message).toBe(EXPECTED[defect]);
    expect(result!.error).toMatchObject({ name: 'ConformanceError', code: 'DELTAV_CONFORMANCE_FAILED', check: defect });
  });
});

describe('no-open-handles check', () => {
  it.runIf(process.platform === 'linux')('reports a file left open', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'deltav-testkit-'));
    const path = join(folder, 'kept-open.log');
    const leaked: FileHandle[] = [];
    try {
      const [result] = await checkDestination(
        {
          name: 'file keeper',
          settleMs: 100,
          create: () => ({
            destination: {
              async write(payload, context) {
                context.signal.throwIfAborted();
                const file = await open(path, 'a');
                leaked.push(file);
                await file.write(await payload.bytes());
              },
            },
            readBack: () => undefined,
          }),
        },
        ['no-open-handles'],
      );

      expect(result!.message).toBe(`still open 100 ms after close() resolved: 1 file ${path}. close() must clear the plugin's timers and close its sockets and files.`);
    } finally {
      await Promise.all(leaked.map((file) => file.close()));
      await rm(folder, { recursive: true, force: true });
    }
  });
});
