import http from 'node:http';
import net from 'node:net';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startExporter, startExporterWithShutdown, type ExporterOptions } from '../src/index.js';
import { request } from './http-client.js';

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

  it('serves a configured path', async () => {
    const exporter = await startExporter({ port: 0, path: '/internal/metrics', registry: registryWithCounter() });
    onTestFinished(() => exporter.shutdown());

    const response = await request(exporter.url);
    const old = await request(`http://127.0.0.1:${exporter.port}/metrics`);

    expect(exporter.url).toBe(`http://127.0.0.1:${exporter.port}/internal/metrics`);
    expect(response.status).toBe(200);
    expect(old.status).toBe(404);
  });

  it('answers 404 elsewhere and 405 for other methods', async () => {
    const exporter = await startExporter({ port: 0, registry: registryWithCounter() });
    onTestFinished(() => exporter.shutdown());
    const base = `http://127.0.0.1:${exporter.port}`;

    const missing = await request(`${base}/other`);
    const post = await request(`${base}/metrics`, { method: 'POST' });
    const deleteHealth = await request(`${base}/healthz`, { method: 'DELETE' });

    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toBe('Not found. The metrics are at /metrics\n');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(deleteHealth.status).toBe(405);
    expect(deleteHealth.headers.allow).toBe('GET, HEAD');
  });

  it('answers HEAD with headers and no body', async () => {
    const exporter = await startExporter({ port: 0, registry: registryWithCounter() });
    onTestFinished(() => exporter.shutdown());

    const get = await request(exporter.url);
    const head = await request(exporter.url, { method: 'HEAD' });

    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(String(get.body.length));
    expect(head.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('ignores the query string', async () => {
    const exporter = await startExporter({ port: 0, registry: registryWithCounter() });
    onTestFinished(() => exporter.shutdown());

    const response = await request(`${exporter.url}?name[]=test_events_total`);

    expect(response.status).toBe(200);
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

  it('rejects a server that is not listening', async () => {
    await expect(startExporter(net.createServer())).rejects.toMatchObject({ code: 'DELTAV_INVALID_OPTION' });
  });

  it('shuts down when the trigger aborts', async () => {
    const controller = new AbortController();
    const exporter = await startExporterWithShutdown({ port: 0, registry: new Registry() }, controller.signal);

    controller.abort();

    await exporter.closed;
  });

  it('shuts down when the trigger promise settles', async () => {
    const exporter = await startExporterWithShutdown({ port: 0, registry: new Registry() }, Promise.reject(new Error('stop')));

    await exporter.closed;
  });

  it('rejects an invalid port with the value in the message', async () => {
    await expect(startExporter({ port: 70000 })).rejects.toThrow(/invalid port 70000/);
  });
});

describe('exporter options', () => {
  const cases: Array<[string, ExporterOptions, RegExp]> = [
    ['a port out of range', { port: -1 }, /invalid port -1/],
    ['a relative path', { path: 'metrics' }, /invalid path "metrics": expected a string starting with "\/"/],
    ['a health path', { path: '/readyz' }, /invalid path "\/readyz"/],
    ['a zero scrape cap', { maxConcurrentScrapes: 0 }, /invalid maxConcurrentScrapes 0/],
    ['a request timeout below the headers timeout', { headersTimeoutMs: 5000, requestTimeoutMs: 1000 }, /invalid requestTimeoutMs 1000: expected at least headersTimeoutMs \(5000\)/],
    ['a readiness that is neither', { readiness: 'yes' as never }, /invalid readiness "yes"/],
    ['tls without a key', { tls: { certFile: 'cert.pem' } as never }, /invalid tls/],
    ['no basic auth users', { basicAuthUsers: {} }, /invalid basicAuthUsers/],
    ['a user name with a colon', { basicAuthUsers: { 'a:b': '$2b$04$' } }, /invalid basicAuthUsers user name "a:b"/],
  ];

  it.each(cases)('rejects %s', async (_name, options, message) => {
    const started = startExporter({ port: 0, registry: new Registry(), ...options });

    await expect(started).rejects.toThrow(message);
    await expect(started).rejects.toMatchObject({ code: 'DELTAV_INVALID_OPTION' });
  });

  it('rejects a plain-text password without echoing it', async () => {
    const started = startExporter({ port: 0, registry: new Registry(), basicAuthUsers: { prometheus: 'hunter2' } });

    await expect(started).rejects.toThrow('invalid basicAuthUsers.prometheus: expected a bcrypt hash such as "$2b$10$..." (60 characters), received 7 characters');
    await expect(started).rejects.not.toThrow(/hunter2/);
  });
});
