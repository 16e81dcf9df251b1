import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, requestEvents, startServer } from './helpers.js';

describe('HttpSource network errors', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('fails a reset in the middle of the body as retryable', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('x'.repeat(100), () => response.socket?.resetAndDestroy());
    });
    source = new HttpSource({ url: server.url });
    const { context, events } = createRunContext();

    const error = await rejectionOf(source.fetch(context));

    expect(error.code).toBe('DELTAV_HTTP_NETWORK');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(new RegExp(`^GET ${server.url}/ failed: .+ \\((ECONNRESET|UND_ERR_SOCKET)\\)\\.$`));
    expect(requestEvents(events)).toMatchObject([{ statusCode: 200, statusClass: '2xx', notModified: false }]);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails a truncated chunked body as retryable', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // Chunked because there is no content-length; the final empty chunk never comes.
      response.write('part one', () => response.socket?.end());
    });
    source = new HttpSource({ url: server.url });
    const { context } = createRunContext();

    const error = await rejectionOf(source.fetch(context));

    expect(error.code).toBe('DELTAV_HTTP_NETWORK');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`GET ${server.url}/ failed: other side closed (UND_ERR_SOCKET).`);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails a body shorter than its content-length', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': '50' });
      response.write('only ten b', () => response.socket?.end());
    });
    source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_NETWORK');
    expect(error.retryable).toBe(true);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails a refused connection as retryable', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    await new Promise((resolve) => blocker.close(resolve));
    source = new HttpSource({ url: `http://127.0.0.1:${port}/data` });
    const { context, events } = createRunContext();

    const error = await rejectionOf(source.fetch(context));

    expect(error.code).toBe('DELTAV_HTTP_NETWORK');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`GET http://127.0.0.1:${port}/data failed: connect ECONNREFUSED 127.0.0.1:${port} (ECONNREFUSED).`);
    expect(requestEvents(events)).toEqual([{ method: 'GET', statusCode: undefined, statusClass: 'none', durationMs: expect.any(Number), notModified: false }]);
  });
});
