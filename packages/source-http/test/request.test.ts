import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource, USER_AGENT, VERSION } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, startServer } from './helpers.js';

describe('HttpSource requests', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('sends default headers with the deltav User-Agent', async () => {
    const server = await startServer((_request, response) => response.end());
    source = new HttpSource({ url: server.url });

    await source.fetch(createRunContext().context);

    expect(USER_AGENT).toBe(`deltav-source-http/${VERSION}`);
    expect(server.requests[0]!.headers).toMatchObject({ 'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'gzip, deflate, br' });
    await closeAndExpectNoSockets(source, server);
  });

  it('sends method, headers and query', async () => {
    const server = await startServer((_request, response) => response.end());
    source = new HttpSource({
      url: `${server.url}/search?q=a`,
      method: 'DELETE',
      headers: { 'User-Agent': 'custom/1', 'X-Trace': 'abc' },
      query: { page: 2, flag: true, tag: ['x', 'y z'] },
    });

    await source.fetch(createRunContext().context);

    const request = server.requests[0]!;
    expect(request.method).toBe('DELETE');
    expect(request.url).toBe('/search?q=a&page=2&flag=true&tag=x&tag=y+z');
    expect(request.headers['user-agent']).toBe('custom/1');
    expect(request.headers['x-trace']).toBe('abc');
    await closeAndExpectNoSockets(source, server);
  });

  it.each([
    [{ body: 'plain text' }, 'plain text', undefined],
    [{ body: new Uint8Array([0x00, 0xff, 0x41]) }, '\u0000\ufffdA', undefined],
    [{ json: { a: [1, null] } }, '{"a":[1,null]}', 'application/json'],
    [{ json: { a: 1 }, headers: { 'content-type': 'application/vnd.api+json' } }, '{"a":1}', 'application/vnd.api+json'],
  ])('sends the body %#', async (options, expected, contentType) => {
    const server = await startServer((_request, response) => response.end());
    source = new HttpSource({ url: server.url, method: 'POST', ...options });

    await source.fetch(createRunContext().context);
    await source.fetch(createRunContext().context);

    expect(server.bodies).toEqual([expected, expected]);
    expect(server.requests[0]!.headers['content-type']).toBe(contentType);
    await closeAndExpectNoSockets(source, server);
  });
});
