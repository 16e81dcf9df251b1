import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, startServer } from './helpers.js';

describe('HttpSource secret redaction', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('redacts URL credentials in errors', async () => {
    const server = await startServer((request, response) => response.writeHead(500).end(`auth ${request.headers.authorization}`));
    source = new HttpSource({ url: `http://alice:p4ss@127.0.0.1:${server.port}/data` });
    const { context, events } = createRunContext();

    const error = await rejectionOf(source.fetch(context));

    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('alice:p4ss').toString('base64')}`);
    expect(error.message).toMatch(new RegExp(`^GET http://127\\.0\\.0\\.1:${server.port}/data failed with status 500: auth Basic `));
    expect(error.message).not.toContain('p4ss');
    expect(JSON.stringify(events)).not.toContain('p4ss');
    await closeAndExpectNoSockets(source, server);
  });

  it('redacts secret query parameters in errors and metadata', async () => {
    const server = await startServer((request, response) => {
      if (request.url!.startsWith('/fail')) response.writeHead(404).end();
      else response.end('ok');
    });
    source = new HttpSource({ url: `${server.url}/ok?API_KEY=k123&page=2`, query: { token: 't456' } });
    const failing = new HttpSource({ url: `${server.url}/fail?session=s789`, secretQueryParams: ['session'] });

    const payload = await source.fetch(createRunContext().context);
    const error = await rejectionOf(failing.fetch(createRunContext().context));

    expect(server.requests[0]!.url).toBe('/ok?API_KEY=k123&page=2&token=t456');
    expect(payload!.metadata).toMatchObject({ url: `${server.url}/ok?API_KEY=redacted&page=2&token=redacted` });
    expect(error.message).toBe(`GET ${server.url}/fail?session=redacted failed with status 404`);
    await failing.close();
    await closeAndExpectNoSockets(source, server);
  });

  it('keeps tokens out of errors and metadata', async () => {
    const server = await startServer((request, response) => {
      if (request.method === 'POST') response.writeHead(401, { 'www-authenticate': 'Bearer' }).end('bad token');
      else response.end('ok');
    });
    source = new HttpSource({ url: server.url, auth: { kind: 'bearer', token: 'tok-secret' }, headers: { 'x-api-key': 'hdr-secret' } });
    const failing = new HttpSource({ url: server.url, method: 'POST', auth: { kind: 'bearer', token: 'tok-secret' } });

    const payload = await source.fetch(createRunContext().context);
    const error = await rejectionOf(failing.fetch(createRunContext().context));

    expect(JSON.stringify(payload!.metadata)).not.toMatch(/tok-secret|hdr-secret/);
    expect(error.message).toBe(`POST ${server.url}/ failed with status 401: bad token`);
    await failing.close();
    await closeAndExpectNoSockets(source, server);
  });
});
