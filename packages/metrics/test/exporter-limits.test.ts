import net from 'node:net';
import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startExporter } from '../src/index.js';
import { request, slowRegistry } from './http-client.js';

describe('exporter limits', () => {
  it('answers 503 past the concurrent scrape cap', async () => {
    const { registry, release, collecting } = slowRegistry();
    const exporter = await startExporter({ port: 0, registry, maxConcurrentScrapes: 1 });
    onTestFinished(() => exporter.shutdown());

    const first = request(exporter.url);
    await collecting.promise;
    const second = await request(exporter.url);
    const health = await request(exporter.url.replace(/\/metrics$/, '/healthz'));
    release.open();

    expect(second.status).toBe(503);
    expect(second.body.toString()).toBe('Too many concurrent scrapes: the limit is 1. Retry later.\n');
    expect(health.status).toBe(200);
    expect((await first).status).toBe(200);
    expect((await request(exporter.url)).status).toBe(200);
  });

  it('answers 408 to a client that never finishes its headers', async () => {
    const exporter = await startExporter({ port: 0, registry: new Registry(), headersTimeoutMs: 100, requestTimeoutMs: 100 });
    onTestFinished(() => exporter.shutdown());
    const socket = net.connect(exporter.port, '127.0.0.1');
    onTestFinished(() => {
      socket.destroy();
    });
    socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n');

    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
    });

    expect(reply.startsWith('HTTP/1.1 408 Request Timeout\r\n')).toBe(true);
  });
});
