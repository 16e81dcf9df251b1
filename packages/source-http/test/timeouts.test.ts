import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, requestEvents, startServer } from './helpers.js';

describe('HttpSource timeouts', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('fails a server that never answers with DELTAV_HTTP_TIMEOUT', async () => {
    const server = await startServer(() => {
      // Accepts the request and never answers.
    });
    source = new HttpSource({ url: `${server.url}/silent`, headersTimeoutMs: 200 });
    const { context, events } = createRunContext();

    const error = await rejectionOf(source.fetch(context));

    expect(error.code).toBe('DELTAV_HTTP_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`GET ${server.url}/silent timed out: Headers Timeout Error (UND_ERR_HEADERS_TIMEOUT).`);
    expect(requestEvents(events)).toEqual([{ method: 'GET', statusCode: undefined, statusClass: 'none', durationMs: expect.any(Number), notModified: false }]);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails a body that stalls after the headers', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first part, then silence');
    });
    source = new HttpSource({ url: server.url, bodyTimeoutMs: 200 });
    const { context, events } = createRunContext();

    const error = await rejectionOf(source.fetch(context));

    expect(error.code).toBe('DELTAV_HTTP_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`GET ${server.url}/ timed out: Body Timeout Error (UND_ERR_BODY_TIMEOUT).`);
    expect(requestEvents(events)).toMatchObject([{ statusCode: 200, statusClass: '2xx' }]);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails at the total deadline while the body trickles', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write('.'), 20);
      response.on('close', () => clearInterval(timer));
    });
    source = new HttpSource({ url: server.url, timeoutMs: 300, bodyTimeoutMs: 5000 });
    const { context } = createRunContext();

    const error = await rejectionOf(source.fetch(context));

    expect(error.code).toBe('DELTAV_HTTP_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`GET ${server.url}/ timed out: no complete response within timeoutMs (300 ms).`);
    await closeAndExpectNoSockets(source, server);
  });

  it('rethrows the run signal reason unchanged', async () => {
    const server = await startServer(() => {
      // Never answers, so only the run's signal ends the request.
    });
    source = new HttpSource({ url: server.url, timeoutMs: 10_000 });
    const controller = new AbortController();
    const { context } = createRunContext(controller.signal);
    const reason = new Error('run timed out');

    const pending = rejectionOf(source.fetch(context));
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort(reason);

    expect(await pending).toBe(reason);
    await closeAndExpectNoSockets(source, server);
  });

  it('rethrows the reason when the signal aborted before the fetch', async () => {
    source = new HttpSource({ url: 'http://127.0.0.1:9/' });
    const controller = new AbortController();
    const reason = new Error('shutting down');
    controller.abort(reason);

    expect(await rejectionOf(source.fetch(createRunContext(controller.signal).context))).toBe(reason);
  });
});
