import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, startServer } from './helpers.js';

describe('HttpSource body limit', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it('defaults to 16 MiB', () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(16 * 1024 * 1024);
  });

  it('fails early on a large content-length', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': '5000' });
      response.write('x'.repeat(100));
      // The rest never comes: the source must not wait for it.
    });
    source = new HttpSource({ url: server.url, maxBodyBytes: 1000 });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_BODY_TOO_LARGE');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `GET ${server.url}/ returned a body larger than maxBodyBytes (1000 bytes): content-length is 5000. Raise maxBodyBytes if the endpoint really returns that much.`,
    );
    await closeAndExpectNoSockets(source, server);
  });

  it('aborts a chunked body past the limit', async () => {
    let written = 0;
    const server = await startServer((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => {
        written += 512;
        response.write('y'.repeat(512));
      }, 5);
      response.on('close', () => clearInterval(timer));
    });
    source = new HttpSource({ url: server.url, maxBodyBytes: 2000 });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_BODY_TOO_LARGE');
    expect(error.message).toBe(`GET ${server.url}/ returned a body larger than maxBodyBytes (2000 bytes) as received. Raise maxBodyBytes if the endpoint really returns that much.`);
    await closeAndExpectNoSockets(source, server);
    expect(written).toBeLessThan(1_000_000);
  });

  it('checks the decoded size too', async () => {
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    source = new HttpSource({ url: server.url, maxBodyBytes: 10_000 });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(bomb.byteLength).toBeLessThan(10_000);
    expect(error.code).toBe('DELTAV_HTTP_BODY_TOO_LARGE');
    expect(error.message).toBe(`GET ${server.url}/ returned a body larger than maxBodyBytes (10000 bytes) after decoding. Raise maxBodyBytes if the endpoint really returns that much.`);
    await closeAndExpectNoSockets(source, server);
  });

  it('accepts a body of exactly the limit', async () => {
    const server = await startServer((_request, response) => response.end('z'.repeat(1000)));
    source = new HttpSource({ url: server.url, maxBodyBytes: 1000 });

    const payload = await source.fetch(createRunContext().context);

    expect(payload!.body).toHaveLength(1000);
    await closeAndExpectNoSockets(source, server);
  });
});
