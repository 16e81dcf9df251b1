import { once } from 'node:events';
import http from 'node:http';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { startExporter } from '../src/index.js';
import { request, slowRegistry } from './http-client.js';


describe('exporter shutdown', () => {
  it('closes an idle keep-alive connection at once', async () => {
    // Far longer than the test timeout: shutdown finishes only if idle sockets close at once.
    const exporter = await startExporter({ port: 0, registry: new Registry(), shutdownTimeoutMs: 3_600_000 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await request(exporter.url, { agent });
    const second = await request(exporter.url, { agent });
    const socketClosed = once(first.socket, 'close');

    await exporter.shutdown();
    await socketClosed;
    agent.destroy();

    expect(second.socket).toBe(first.socket);
    expect(first.headers.connection).toBe('keep-alive');
  });

  it('lets a scrape in progress finish and closes its connection', async () => {
    const { registry, release, collecting } = slowRegistry();
    const exporter = await startExporter({ port: 0, registry, shutdownTimeoutMs: 3_600_000 });
    const agent = new http.Agent({ keepAlive: true });

    const pending = request(exporter.url, { agent });
    await collecting.promise;
    const shutdown = exporter.shutdown();
    release.open();
    const response = await pending;
    await shutdown;
    agent.destroy();

    expect(response.status).toBe(200);
    expect(response.headers.connection).toBe('close');
    expect(response.body.toString().split('\n')).toContain('test_slow 1');
  });

  it('closes a stuck scrape after the shutdown timeout', async () => {
    const { registry, collecting } = slowRegistry();
    const exporter = await startExporter({ port: 0, registry, shutdownTimeoutMs: 0 });

    const pending = request(exporter.url);
    await collecting.promise;
    await exporter.shutdown();

    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('is idempotent', async () => {
    const exporter = await startExporter({ port: 0, registry: new Registry() });

    const first = exporter.shutdown();
    const second = exporter.shutdown();
    await exporter[Symbol.asyncDispose]();

    expect(second).toBe(first);
  });
});
