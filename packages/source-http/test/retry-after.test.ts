import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpSource, parseRetryAfter } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, startServer } from './helpers.js';

describe('Retry-After', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes 429 seconds as retryAfterMs', async () => {
    const server = await startServer((_request, response) => response.writeHead(429, { 'retry-after': '7' }).end('slow down'));
    const source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_STATUS');
    expect(error.statusCode).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    await closeAndExpectNoSockets(source, server);
  });

  it('passes a 429 HTTP date as retryAfterMs', async () => {
    // Only Date is faked, so undici's timers keep running.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2030-01-02T03:04:05Z') });
    const server = await startServer((_request, response) => response.writeHead(429, { 'retry-after': 'Wed, 02 Jan 2030 03:06:05 GMT' }).end());
    const source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_STATUS');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(120_000);
    await closeAndExpectNoSockets(source, server);
  });

  it('passes Retry-After on a 503', async () => {
    const server = await startServer((_request, response) => response.writeHead(503, { 'retry-after': '30' }).end());
    const source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.retryAfterMs).toBe(30_000);
    await closeAndExpectNoSockets(source, server);
  });

  it('ignores Retry-After on a final status', async () => {
    const server = await startServer((_request, response) => response.writeHead(403, { 'retry-after': '30' }).end());
    const source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.retryable).toBe(false);
    expect(error.retryAfterMs).toBeUndefined();
    await closeAndExpectNoSockets(source, server);
  });

  it.each([
    ['0', 0],
    [' 12 ', 12_000],
    ['Tue, 01 Jan 2030 00:00:10 GMT', 10_000],
    ['Mon, 31 Dec 2029 00:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    ['-5', undefined],
  ])('parses %j', (header, expected) => {
    expect(parseRetryAfter(header, Date.parse('2030-01-01T00:00:00Z'))).toBe(expected);
  });
});
