import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, requestEvents, startServer } from './helpers.js';

const CHUNK = 64 * 1024;

/** Sends `count` chunks of pseudo-random bytes; returns the SHA-256 the client should see. */
function chunkedBody(count: number): { chunks: Buffer[]; sha256: string } {
  const chunks = Array.from({ length: count }, (_unused, index) => {
    const seed = createHash('sha512').update(String(index)).digest();
    return Buffer.concat(Array.from({ length: CHUNK / seed.byteLength }, () => seed));
  });
  return { chunks, sha256: createHash('sha256').update(Buffer.concat(chunks)).digest('hex') };
}

async function drain(body: unknown): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}

describe('streamed responses', () => {
  it('passes a large body on as a stream', async () => {
    const { chunks, sha256 } = chunkedBody(512);
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (const chunk of chunks) response.write(chunk);
      response.end();
    });
    const source = new HttpSource({ url: server.url, stream: true, maxBodyBytes: 64 * 1024 * 1024 });
    const { context, events } = createRunContext();

    const init = await source.fetch(context);

    expect(init!.body).not.toBeInstanceOf(Uint8Array);
    expect(init!.contentType).toBe('application/octet-stream');
    expect(requestEvents(events)).toEqual([]);
    expect(await drain(init!.body)).toEqual({ bytes: 512 * CHUNK, sha256 });
    expect(requestEvents(events)).toEqual([expect.objectContaining({ statusCode: 200, statusClass: '2xx', notModified: false })]);
    await closeAndExpectNoSockets(source, server);
  });

  it('decodes a gzip body while streaming', async () => {
    const text = 'line of text\n'.repeat(10_000);
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(text));
    });
    const source = new HttpSource({ url: server.url, stream: true });
    const { context } = createRunContext();

    const init = await source.fetch(context);
    const received: Buffer[] = [];
    for await (const chunk of init!.body as AsyncIterable<Uint8Array>) received.push(Buffer.from(chunk));

    expect(Buffer.concat(received).toString()).toBe(text);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails a stream that the server resets midway', async () => {
    const { chunks } = chunkedBody(64);
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': String(64 * CHUNK) });
      response.write(chunks[0]);
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const source = new HttpSource({ url: server.url, stream: true });
    const { context } = createRunContext();

    const init = await source.fetch(context);
    const error = await rejectionOf(drain(init!.body));

    expect(error.code).toBe('DELTAV_HTTP_NETWORK');
    expect(error.retryable).toBe(true);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails a stream past maxBodyBytes', async () => {
    const { chunks } = chunkedBody(32);
    const server = await startServer((_request, response) => {
      response.writeHead(200);
      for (const chunk of chunks) response.write(chunk);
      response.end();
    });
    const source = new HttpSource({ url: server.url, stream: true, maxBodyBytes: 10 * CHUNK });
    const { context } = createRunContext();

    const init = await source.fetch(context);
    const error = await rejectionOf(drain(init!.body));

    expect(error.code).toBe('DELTAV_HTTP_BODY_TOO_LARGE');
    expect(error.message).toContain(`maxBodyBytes (${10 * CHUNK} bytes)`);
    await closeAndExpectNoSockets(source, server);
  });

  it('closes the connection when the consumer stops early', async () => {
    const { chunks } = chunkedBody(16);
    const server = await startServer((_request, response) => {
      response.writeHead(200);
      let index = 0;
      const timer = setInterval(() => {
        if (index === chunks.length) {
          clearInterval(timer);
          response.end();
          return;
        }
        response.write(chunks[index++]);
      }, 10);
      response.on('close', () => clearInterval(timer));
    });
    const source = new HttpSource({ url: server.url, stream: true });
    const { context } = createRunContext();

    const init = await source.fetch(context);
    for await (const chunk of init!.body as AsyncIterable<Uint8Array>) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }

    await expect.poll(() => server.openSockets(), { timeout: 5000 }).toBe(0);
    await source.close();
  });

  it('rejects stream with compareContentHash', () => {
    expect(() => new HttpSource({ url: 'http://127.0.0.1:1/', stream: true, compareContentHash: true })).toThrow(
      expect.objectContaining({ code: 'DELTAV_HTTP_INVALID_OPTION' }),
    );
  });
});
