import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, startServer } from './helpers.js';

describe('HttpSource http.request events', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('emits one event per response', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/old') response.writeHead(308, { location: '/new' }).end();
      else response.writeHead(503).end();
    });
    source = new HttpSource({ url: `${server.url}/old`, method: 'POST', body: 'b' });
    const { context, events } = createRunContext();

    await rejectionOf(source.fetch(context));

    expect(events).toEqual([
      { type: 'http.request', data: { method: 'POST', statusCode: 308, statusClass: '3xx', durationMs: expect.any(Number), notModified: false } },
      { type: 'http.request', data: { method: 'POST', statusCode: 503, statusClass: '5xx', durationMs: expect.any(Number), notModified: false } },
    ]);
    for (const event of events) expect(event.data.durationMs).toBeGreaterThanOrEqual(0);
    await closeAndExpectNoSockets(source, server);
  });
});
