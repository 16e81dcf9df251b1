import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, startServer, bodyOf } from './helpers.js';

describe('HttpSource status handling', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it.each([
    [500, true],
    [502, true],
    [503, true],
    [408, true],
    [425, true],
    [429, true],
    [400, false],
    [401, false],
    [404, false],
    [410, false],
  ])('classifies %i as retryable %s', async (status, retryable) => {
    const server = await startServer((_request, response) => response.writeHead(status).end('details'));
    source = new HttpSource({ url: `${server.url}/items` });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_STATUS');
    expect(error.statusCode).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toBe(`GET ${server.url}/items failed with status ${status}: details`);
    await closeAndExpectNoSockets(source, server);
  });

  it('bounds the body snippet in the message', async () => {
    const server = await startServer((_request, response) => response.writeHead(500).end(`line one\n\tline two ${'z'.repeat(5000)}`));
    source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.message).toBe(`GET ${server.url}/ failed with status 500: line one line two ${'z'.repeat(256 - 19)}…`);
    await closeAndExpectNoSockets(source, server);
  });

  it('decodes a gzip error body for the snippet', async () => {
    const { gzipSync } = await import('node:zlib');
    const server = await startServer((_request, response) => response.writeHead(503, { 'content-encoding': 'gzip' }).end(gzipSync('overloaded')));
    source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.message).toBe(`GET ${server.url}/ failed with status 503: overloaded`);
    await closeAndExpectNoSockets(source, server);
  });

  it('accepts configured statuses and classes', async () => {
    const server = await startServer((request, response) => response.writeHead(request.url === '/missing' ? 404 : 302).end(`body of ${request.url}`));
    source = new HttpSource({ url: `${server.url}/missing`, acceptedStatuses: ['2xx', 404] });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe('body of /missing');
    expect(payload!.metadata).toMatchObject({ status: '404' });
    await closeAndExpectNoSockets(source, server);
  });

  it('rejects a 2xx left out of acceptedStatuses', async () => {
    const server = await startServer((_request, response) => response.writeHead(202).end('queued'));
    source = new HttpSource({ url: server.url, acceptedStatuses: [200] });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_STATUS');
    expect(error.statusCode).toBe(202);
    expect(error.retryable).toBe(false);
    await closeAndExpectNoSockets(source, server);
  });
});
