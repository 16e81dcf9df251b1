import { describe, expect, it } from 'vitest';
import { createPayload, DeltavError, isRetryable, markRetryable } from '../src/index.js';

describe('payload', () => {
  it('encodes a string body as UTF-8', async () => {
    const payload = createPayload({ body: 'héllo', contentType: 'text/plain' });

    expect(payload.size).toBe(6);
    expect(await payload.text()).toBe('héllo');
    expect(Array.from(await payload.bytes())).toEqual([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]);
    expect(payload.contentType).toBe('text/plain');
  });

  it('parses JSON and can be read twice', async () => {
    const payload = createPayload({ body: new TextEncoder().encode('{"a":1}') });

    expect(await payload.json()).toEqual({ a: 1 });
    expect(await payload.json()).toEqual({ a: 1 });
  });

  it('rejects a body of the wrong type with a code', () => {
    expect(() => createPayload({ body: 42 as unknown as string })).toThrow(expect.objectContaining({ code: 'DELTAV_INVALID_PAYLOAD' }));
  });
});

describe('errors', () => {
  it('marks plain errors retryable with a hint', () => {
    const error = markRetryable(new Error('busy'), 2000);

    expect(isRetryable(error)).toBe(true);
    expect(error).toMatchObject({ retryAfterMs: 2000 });
    expect(isRetryable(new Error('final'))).toBe(false);
  });

  it('recognizes errors branded by another copy', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('deltav.error')]: true, code: 'DELTAV_X' });

    expect(foreign instanceof DeltavError).toBe(true);
    expect(new Error('y') instanceof DeltavError).toBe(false);
  });
});
