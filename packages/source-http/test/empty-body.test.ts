import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, startServer } from './helpers.js';

describe('HttpSource empty bodies', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('returns an empty payload for 204', async () => {
    const server = await startServer((_request, response) => response.writeHead(204, { 'x-total': '0' }).end());
    source = new HttpSource({ url: server.url });

    const payload = await source.fetch(createRunContext().context);

    expect(payload!.body).toHaveLength(0);
    expect(payload!.metadata).toEqual({ status: '204', url: `${server.url}/`, date: expect.any(String) });
    await closeAndExpectNoSockets(source, server);
  });

  it('returns an empty payload for an empty 200', async () => {
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end());
    source = new HttpSource({ url: server.url });

    const payload = await source.fetch(createRunContext().context);

    expect(payload!.body).toHaveLength(0);
    expect(payload!.contentType).toBe('application/json');
    await closeAndExpectNoSockets(source, server);
  });

  it('returns headers only for HEAD', async () => {
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-type': 'text/csv', 'content-length': '999999999' }).end());
    source = new HttpSource({ url: server.url, method: 'HEAD', maxBodyBytes: 10 });

    const payload = await source.fetch(createRunContext().context);

    expect(server.requests[0]!.method).toBe('HEAD');
    expect(payload!.body).toHaveLength(0);
    expect(payload!.contentType).toBe('text/csv');
    await closeAndExpectNoSockets(source, server);
  });

  it('returns null for 204 with emptyBody unchanged', async () => {
    const server = await startServer((_request, response) => response.writeHead(204).end());
    source = new HttpSource({ url: server.url, emptyBody: 'unchanged' });

    expect(await source.fetch(createRunContext().context)).toBeNull();
    await closeAndExpectNoSockets(source, server);
  });
});
