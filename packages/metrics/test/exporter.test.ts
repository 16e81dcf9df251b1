import http from 'node:http';
import net from 'node:net';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startExporter, startExporterWithShutdown } from '../src/index.js';

function registryWithCounter(): Registry {
  const registry = new Registry();
  new Counter({ name: 'test_events_total', help: 'Test events.', registers: [registry] }).inc(3);
  return registry;
}

describe('exporter', () => {
  it('serves the exposition on an ephemeral port', async () => {
    const exporter = await startExporter({ port: 0, host: '127.0.0.1', registry: registryWithCounter() });
    onTestFinished(() => exporter.shutdown());

    const response = await fetch(exporter.url);

    expect(exporter.port).toBeGreaterThan(0);
    expect(exporter.url).toBe(`http://127.0.0.1:${exporter.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await response.text()).split('\n')).toContain('test_events_total 3');
  });

  it('answers 404 elsewhere and 405 for other methods', async () => {
    const exporter = await startExporter({ port: 0, registry: registryWithCounter() });
    onTestFinished(() => exporter.shutdown());
    const base = `http://127.0.0.1:${exporter.port}`;

    const missing = await fetch(`${base}/other`);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });

    expect(missing.status).toBe(404);
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('shuts down and settles closed', async () => {
    const exporter = await startExporter({ port: 0, registry: registryWithCounter() });
    await fetch(exporter.url, { headers: { connection: 'keep-alive' } });

    await exporter.shutdown();
    await exporter.closed;

    await expect(fetch(exporter.url)).rejects.toThrow();
  });

  it('serves through a listening net.Server', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const exporter = await startExporter(server);
    onTestFinished(() => exporter.shutdown());

    const response = await fetch(exporter.url);

    expect(response.status).toBe(200);
  });

  it('serves through a listening http.Server', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const exporter = await startExporter(server);
    onTestFinished(() => exporter.shutdown());

    const response = await fetch(exporter.url);

    expect(response.status).toBe(200);
  });

  it('shuts down when the trigger aborts', async () => {
    const controller = new AbortController();
    const exporter = await startExporterWithShutdown({ port: 0, registry: new Registry() }, controller.signal);

    controller.abort();

    await exporter.closed;
  });

  it('rejects an invalid port with the value in the message', async () => {
    await expect(startExporter({ port: 70000 })).rejects.toThrow(/invalid port 70000/);
  });
});
