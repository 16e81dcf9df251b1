import { createTestContext } from '@deltav/testkit';
import { describe, expect, it } from 'vitest';
import { CounterSource } from '../src/index.js';

describe('CounterSource', () => {
  it('counts on from the stored state', async () => {
    const source = new CounterSource({ start: 10, step: 5 });
    const context = createTestContext();

    expect(await source.fetch(context)).toEqual({ body: '{"count":10}', contentType: 'application/json', metadata: { count: '10' } });
    expect(await source.fetch(context)).toEqual({ body: '{"count":15}', contentType: 'application/json', metadata: { count: '15' } });
    expect(await context.state.get('counter.last')).toBe(15);
  });

  it('marks a failed state store retryable', async () => {
    const source = new CounterSource();
    const context = createTestContext({
      pipeline: 'ticks',
      state: { get: () => Promise.reject(new Error('disk busy')), set: async () => {}, delete: async () => {} },
    });

    await expect(source.fetch(context)).rejects.toMatchObject({
      code: 'COUNTER_STATE_UNAVAILABLE',
      retryable: true,
      message: 'counter: the state store of pipeline "ticks" failed: disk busy',
    });
  });
});
