import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, requestEvents, startServer, bodyOf } from './helpers.js';

describe('HttpSource redirects', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('follows a redirect chain', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/a') response.writeHead(301, { location: '/b' }).end('moved');
      else if (request.url === '/b') response.writeHead(302, { location: `${server.url}/c?x=1` }).end();
      else response.writeHead(200, { 'content-type': 'text/plain' }).end(`final ${request.url}`);
    });
    source = new HttpSource({ url: `${server.url}/a` });
    const { context, events } = createRunContext();

    const payload = await source.fetch(context);

    expect(bodyOf(payload).toString()).toBe('final /c?x=1');
    expect(payload!.metadata).toMatchObject({ status: '200', url: `${server.url}/c?x=1` });
    expect(requestEvents(events).map((event) => event.statusCode)).toEqual([301, 302, 200]);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails a redirect loop with DELTAV_HTTP_REDIRECT_LOOP', async () => {
    const server = await startServer((request, response) => {
      response.writeHead(302, { location: request.url === '/ping' ? '/pong' : '/ping' }).end();
    });
    source = new HttpSource({ url: `${server.url}/ping` });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_REDIRECT_LOOP');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `GET ${server.url}/pong redirected with status 302 back to GET ${server.url}/ping, a redirect loop. Fix the redirects on the server or request the final URL directly.`,
    );
    expect(server.requests).toHaveLength(2);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails past maxRedirects', async () => {
    const server = await startServer((request, response) => {
      const step = Number(request.url!.slice(1));
      response.writeHead(307, { location: `/${step + 1}` }).end();
    });
    source = new HttpSource({ url: `${server.url}/0`, maxRedirects: 3 });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_TOO_MANY_REDIRECTS');
    expect(error.message).toBe(`GET ${server.url}/3 redirected more than maxRedirects (3) times, last to ${server.url}/4. Raise maxRedirects or request the final URL directly.`);
    expect(server.requests).toHaveLength(4);
    await closeAndExpectNoSockets(source, server);
  });

  it('treats 3xx as a status with maxRedirects 0', async () => {
    const server = await startServer((_request, response) => response.writeHead(301, { location: '/elsewhere' }).end('moved'));
    source = new HttpSource({ url: server.url, maxRedirects: 0 });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_STATUS');
    expect(error.statusCode).toBe(301);
    expect(server.requests).toHaveLength(1);
    await closeAndExpectNoSockets(source, server);
  });

  it('rejects a Location with another scheme', async () => {
    const server = await startServer((_request, response) => response.writeHead(302, { location: 'ftp://127.0.0.1/file' }).end());
    source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_INVALID_REDIRECT');
    await closeAndExpectNoSockets(source, server);
  });

  it.each([
    [301, 'GET', ''],
    [302, 'GET', ''],
    [303, 'GET', ''],
    [307, 'POST', '{"q":1}'],
    [308, 'POST', '{"q":1}'],
  ])('turns POST after %i into %s', async (status, method, body) => {
    const server = await startServer((request, response) => {
      if (request.url === '/submit') response.writeHead(status, { location: '/result' }).end();
      else response.end(`${request.method} ${request.headers['content-type'] ?? 'none'}`);
    });
    source = new HttpSource({ url: `${server.url}/submit`, method: 'POST', json: { q: 1 } });

    const payload = await source.fetch(createRunContext().context);

    expect(server.requests.map((request) => request.method)).toEqual(['POST', method]);
    expect(server.bodies).toEqual(['{"q":1}', body]);
    expect(bodyOf(payload).toString()).toBe(`${method} ${method === 'POST' ? 'application/json' : 'none'}`);
    await closeAndExpectNoSockets(source, server);
  });

  it('turns PUT after 303 into GET but keeps it after 301', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/see-other') response.writeHead(303, { location: '/done' }).end();
      else if (request.url === '/moved') response.writeHead(301, { location: '/done' }).end();
      else response.end(request.method);
    });
    source = new HttpSource({ url: `${server.url}/see-other`, method: 'PUT', body: 'v' });
    const other = new HttpSource({ url: `${server.url}/moved`, method: 'PUT', body: 'v' });

    const seeOther = await source.fetch(createRunContext().context);
    const moved = await other.fetch(createRunContext().context);

    expect(bodyOf(seeOther).toString()).toBe('GET');
    expect(bodyOf(moved).toString()).toBe('PUT');
    await other.close();
    await closeAndExpectNoSockets(source, server);
  });

  it('drops credentials on a redirect to another origin', async () => {
    const target = await startServer((request, response) => response.end(`authorization: ${request.headers.authorization ?? 'none'}`));
    const origin = await startServer((request, response) => {
      if (request.url === '/same') response.writeHead(302, { location: '/away' }).end();
      else response.writeHead(302, { location: `${target.url}/data` }).end();
    });
    source = new HttpSource({ url: `${origin.url}/same`, auth: { kind: 'bearer', token: 'secret-token' } });

    const payload = await source.fetch(createRunContext().context);

    expect(origin.requests.map((request) => request.headers.authorization)).toEqual(['Bearer secret-token', 'Bearer secret-token']);
    expect(bodyOf(payload).toString()).toBe('authorization: none');
    await closeAndExpectNoSockets(source, origin, target);
  });
});
