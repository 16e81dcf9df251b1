import { describe, expect, it } from 'vitest';
import { assertConformance, checkSource, describeDestinationConformance, describeSourceConformance, type TestRegistrar } from '../src/index.js';
import { fixtureDestinationOptions } from './fixtures/broken-destination.js';
import { fixtureSourceOptions } from './fixtures/broken-source.js';

// The kit registering its checks in vitest: every check of a correct plugin is a passing test here.
describeSourceConformance(fixtureSourceOptions(), { describe, it });
describeDestinationConformance(fixtureDestinationOptions(), { describe, it });

describe('registerChecks', () => {
  it('registers one test per check', () => {
    const names: string[] = [];
    const registrar: TestRegistrar = {
      describe: (name, body) => {
        names.push(`describe ${name}`);
        body();
      },
      it: Object.assign((name: string) => names.push(`it ${name}`), { skip: (name: string) => names.push(`skip ${name}`) }),
    };
    const { stalled: _stalled, ...options } = fixtureSourceOptions();

    describeSourceConformance(options, registrar);

    expect(names).toEqual([
      'describe source conformance: fixture',
      'it fetch rejects when the signal is already aborted',
      'skip fetch rejects soon after an abort mid-fetch (no stalled scenario given)',
      'it fetch returns a valid payload or nothing new',
      'it fetch marks transient failures retryable',
      'it close() is safe before first use and idempotent',
      'it close() after a fetch is idempotent',
      'it leaves no unhandled rejections',
      'it leaves no timers or handles open after close()',
    ]);
  });
});

describe('assertConformance', () => {
  it('lists every failed check', async () => {
    const results = await checkSource(fixtureSourceOptions('payload'), ['aborted-signal', 'payload']);

    expect(() => assertConformance(results)).toThrow(
      expect.objectContaining({
        code: 'DELTAV_CONFORMANCE_FAILED',
        message:
          '1 of 2 conformance checks failed:\n- payload: the first fetch returned an invalid payload: Invalid payload body: expected a Uint8Array, a string, an async iterable of Uint8Array or a ReadableStream, received 42.',
      }),
    );
  });

  it('passes when nothing failed', async () => {
    expect(() => assertConformance([{ id: 'payload', title: 'payload', status: 'pass' }])).not.toThrow();
  });
});
