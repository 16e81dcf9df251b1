import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, startServer } from './helpers.js';

describe('HttpSource payload metadata', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('copies content type and useful headers', async () => {
    const server = await startServer((_request, response) =>
      response
        .writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          etag: '"e1"',
          'last-modified': 'Tue, 01 Jan 2030 00:00:00 GMT',
          'cache-control': 'max-age=60',
          'content-language': 'en',
          'set-cookie': 'session=abc',
          'x-internal': 'skip',
          date: 'Tue, 01 Jan 2030 00:00:05 GMT',
        })
        .end('{}'),
    );
    source = new HttpSource({ url: `${server.url}/items` });

    const payload = await source.fetch(createRunContext().context);

    expect(payload!.contentType).toBe('application/json; charset=utf-8');
    expect(payload!.metadata).toEqual({
      status: '200',
      url: `${server.url}/items`,
      'content-type': 'application/json; charset=utf-8',
      'content-language': 'en',
      etag: '"e1"',
      'last-modified': 'Tue, 01 Jan 2030 00:00:00 GMT',
      date: 'Tue, 01 Jan 2030 00:00:05 GMT',
      'cache-control': 'max-age=60',
    });
    await closeAndExpectNoSockets(source, server);
  });
});
