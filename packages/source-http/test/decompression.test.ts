import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, startServer, bodyOf } from './helpers.js';

const TEXT = '{"items":[1,2,3],"note":"decoded"}';

describe('HttpSource decompression', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  it.each([
    ['gzip', gzipSync(TEXT)],
    ['x-gzip', gzipSync(TEXT)],
    ['deflate', deflateSync(TEXT)],
    ['deflate', deflateRawSync(TEXT)],
    ['br', brotliCompressSync(TEXT)],
    ['identity', Buffer.from(TEXT)],
  ])('decodes %s (%#)', async (encoding, body) => {
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-encoding': encoding, 'content-type': 'application/json' }).end(body));
    source = new HttpSource({ url: server.url });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe(TEXT);
    expect(server.requests[0]!.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(payload!.metadata).not.toHaveProperty('content-encoding');
    await closeAndExpectNoSockets(source, server);
  });

  it('decodes raw deflate split into one-byte chunks', async () => {
    const body = deflateRawSync(TEXT.repeat(20));
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'deflate' });
      let offset = 0;
      const next = (): void => {
        if (offset >= body.byteLength) {
          response.end();
          return;
        }
        response.write(body.subarray(offset, offset + 1), next);
        offset++;
      };
      next();
    });
    source = new HttpSource({ url: server.url });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe(TEXT.repeat(20));
    await closeAndExpectNoSockets(source, server);
  });

  it('decodes gzip applied after deflate', async () => {
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-encoding': 'deflate, gzip' }).end(gzipSync(deflateSync(TEXT))));
    source = new HttpSource({ url: server.url });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe(TEXT);
    await closeAndExpectNoSockets(source, server);
  });

  it.each([
    ['gzip', Buffer.alloc(0)],
    ['br', Buffer.alloc(0)],
    ['deflate', Buffer.alloc(0)],
    ['gzip', gzipSync('')],
    ['deflate', deflateRawSync('')],
    ['br', brotliCompressSync('')],
  ])('returns an empty payload for an empty %s body (%#)', async (encoding, body) => {
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-encoding': encoding }).end(body));
    source = new HttpSource({ url: server.url });

    const payload = await source.fetch(createRunContext().context);

    expect(payload!.body).toHaveLength(0);
    expect(payload!.metadata).toMatchObject({ status: '200' });
    await closeAndExpectNoSockets(source, server);
  });

  it('fails invalid gzip with DELTAV_HTTP_DECODE', async () => {
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end('this is not gzip data'));
    source = new HttpSource({ url: server.url });
    const { context, events } = createRunContext();

    const error = await rejectionOf(source.fetch(context));

    expect(error.code).toBe('DELTAV_HTTP_DECODE');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`GET ${server.url}/ returned a body that does not match its content-encoding: incorrect header check.`);
    expect(events).toHaveLength(1);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails gzip cut short with DELTAV_HTTP_DECODE', async () => {
    const whole = gzipSync(TEXT.repeat(50));
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end(whole.subarray(0, whole.byteLength - 12)));
    source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_DECODE');
    expect(error.message).toBe(`GET ${server.url}/ returned a body that does not match its content-encoding: unexpected end of file.`);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails an unsupported encoding', async () => {
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-encoding': 'zstd' }).end('zzz'));
    source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_DECODE');
    expect(error.message).toBe(`GET ${server.url}/ returned content-encoding "zstd", which this source cannot decode. Set decompress: false to receive the body as is.`);
    await closeAndExpectNoSockets(source, server);
  });

  it('passes the body through with decompress false', async () => {
    const body = gzipSync(TEXT);
    const server = await startServer((_request, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end(body));
    source = new HttpSource({ url: server.url, decompress: false });

    const payload = await source.fetch(createRunContext().context);

    expect(Buffer.compare(bodyOf(payload), body)).toBe(0);
    expect(payload!.metadata).toMatchObject({ 'content-encoding': 'gzip' });
    expect(server.requests[0]!.headers['accept-encoding']).toBeUndefined();
    await closeAndExpectNoSockets(source, server);
  });
});
