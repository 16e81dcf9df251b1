import { Pipeline, Scheduler } from '@deltav/core';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource, VALIDATORS_STATE_KEY } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, requestEvents, startServer, bodyOf } from './helpers.js';

describe('HttpSource conditional requests', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('sends If-None-Match and returns null on 304', async () => {
    const server = await startServer((request, response) => {
      if (request.headers['if-none-match'] === '"v1"') response.writeHead(304, { etag: '"v1"' }).end();
      else response.writeHead(200, { etag: '"v1"' }).end('version one');
    });
    source = new HttpSource({ url: server.url });
    const state = new Map<string, string>();

    const first = await source.fetch(createRunContext(undefined, state).context);
    const second = createRunContext(undefined, state);
    const result = await source.fetch(second.context);

    expect(bodyOf(first).toString()).toBe('version one');
    expect(result).toBeNull();
    expect(server.requests[0]!.headers['if-none-match']).toBeUndefined();
    expect(server.requests[1]!.headers['if-none-match']).toBe('"v1"');
    expect(requestEvents(second.events)).toEqual([{ method: 'GET', statusCode: 304, statusClass: '3xx', durationMs: expect.any(Number), notModified: true }]);
    await closeAndExpectNoSockets(source, server);
  });

  it('sends If-Modified-Since and returns null on 304', async () => {
    const lastModified = 'Tue, 01 Jan 2030 00:00:00 GMT';
    const server = await startServer((request, response) => {
      if (request.headers['if-modified-since'] === lastModified) response.writeHead(304).end();
      else response.writeHead(200, { 'last-modified': lastModified }).end('dated');
    });
    source = new HttpSource({ url: server.url });
    const state = new Map<string, string>();

    await source.fetch(createRunContext(undefined, state).context);
    const result = await source.fetch(createRunContext(undefined, state).context);

    expect(result).toBeNull();
    expect(server.requests[1]!.headers['if-modified-since']).toBe(lastModified);
    expect(server.requests[1]!.headers['if-none-match']).toBeUndefined();
    await closeAndExpectNoSockets(source, server);
  });

  it('keeps validators in state without the URL', async () => {
    const server = await startServer((_request, response) => response.writeHead(200, { etag: 'W/"abc"', 'last-modified': 'Tue, 01 Jan 2030 00:00:00 GMT' }).end('x'));
    source = new HttpSource({ url: `${server.url}/?token=hidden` });
    const state = new Map<string, string>();

    await source.fetch(createRunContext(undefined, state).context);

    const stored = JSON.parse(state.get(VALIDATORS_STATE_KEY)!) as Record<string, string>;
    expect(stored).toEqual({ request: expect.stringMatching(/^[0-9a-f]{64}$/), etag: 'W/"abc"', lastModified: 'Tue, 01 Jan 2030 00:00:00 GMT' });
    expect(state.get(VALIDATORS_STATE_KEY)).not.toContain('hidden');
    await closeAndExpectNoSockets(source, server);
  });

  it('stores no validators from a failed fetch', async () => {
    let fail = true;
    const server = await startServer((_request, response) => {
      if (fail) {
        response.writeHead(200, { etag: '"broken"', 'content-length': '100' });
        response.write('partial', () => response.socket?.destroy());
        return;
      }
      response.writeHead(200, { etag: '"good"' }).end('complete');
    });
    source = new HttpSource({ url: server.url });
    const state = new Map<string, string>();

    const error = await rejectionOf(source.fetch(createRunContext(undefined, state).context));
    fail = false;
    const payload = await source.fetch(createRunContext(undefined, state).context);

    expect(error.code).toBe('DELTAV_HTTP_NETWORK');
    expect(server.requests[1]!.headers['if-none-match']).toBeUndefined();
    expect(bodyOf(payload).toString()).toBe('complete');
    await closeAndExpectNoSockets(source, server);
  });

  it('fails a 304 to an unconditional request', async () => {
    const server = await startServer((_request, response) => response.writeHead(304).end());
    source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_STATUS');
    expect(error.statusCode).toBe(304);
    await closeAndExpectNoSockets(source, server);
  });

  it('sends no validators with conditional false', async () => {
    const server = await startServer((_request, response) => response.writeHead(200, { etag: '"v1"' }).end('same'));
    source = new HttpSource({ url: server.url, conditional: false });
    const state = new Map<string, string>();

    await source.fetch(createRunContext(undefined, state).context);
    const second = await source.fetch(createRunContext(undefined, state).context);

    expect(server.requests[1]!.headers['if-none-match']).toBeUndefined();
    expect(bodyOf(second).toString()).toBe('same');
    expect(state.size).toBe(0);
    await closeAndExpectNoSockets(source, server);
  });

  it('returns null for an unchanged content hash', async () => {
    let body = 'first';
    const server = await startServer((_request, response) => response.end(body));
    source = new HttpSource({ url: server.url, compareContentHash: true });
    const state = new Map<string, string>();

    const first = await source.fetch(createRunContext(undefined, state).context);
    const same = await source.fetch(createRunContext(undefined, state).context);
    body = 'second';
    const changed = await source.fetch(createRunContext(undefined, state).context);

    expect(first!.metadata).toMatchObject({ sha256: 'a7937b64b8caa58f03721bb6bacf5c78cb235febe0e70b1b84cd99541461a08e' });
    expect(same).toBeNull();
    expect(bodyOf(changed).toString()).toBe('second');
    await closeAndExpectNoSockets(source, server);
  });

  it('ignores validators stored for another URL', async () => {
    const server = await startServer((request, response) => {
      if (request.headers['if-none-match'] !== undefined) response.writeHead(304).end();
      else response.writeHead(200, { etag: '"v1"' }).end(request.url);
    });
    const state = new Map<string, string>();
    const old = new HttpSource({ url: `${server.url}/old` });
    await old.fetch(createRunContext(undefined, state).context);
    await old.close();
    source = new HttpSource({ url: `${server.url}/new` });

    const payload = await source.fetch(createRunContext(undefined, state).context);

    expect(bodyOf(payload).toString()).toBe('/new');
    await closeAndExpectNoSockets(source, server);
  });
});

describe('validators and failed writes', () => {
  it('stores validators only after the destination wrote', async () => {
    const server = await startServer((request, response) => {
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304).end();
        return;
      }
      response.writeHead(200, { etag: '"v1"' }).end('version one');
    });
    const source = new HttpSource({ url: server.url });
    let failWrites = true;
    const written: string[] = [];
    const destination = {
      write: async (payload: { text(): Promise<string> }) => {
        if (failWrites) throw new Error('disk full');
        written.push(await payload.text());
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, destination, { name: 'p', retry: { maxAttempts: 1 } }));

    const failed = await scheduler.runNow('p');
    failWrites = false;
    const retried = await scheduler.runNow('p');
    const unchanged = await scheduler.runNow('p');
    await scheduler.stop();

    expect(failed.outcome).toBe('failure');
    expect(retried.outcome).toBe('success');
    expect(written).toEqual(['version one']);
    expect(unchanged.outcome).toBe('unchanged');
    expect(server.requests.map((request) => request.headers['if-none-match'] ?? null)).toEqual([null, null, '"v1"']);
  });
});
