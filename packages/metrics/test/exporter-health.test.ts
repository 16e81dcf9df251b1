import { Pipeline, Scheduler } from '@deltav/core';
import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startExporter } from '../src/index.js';
import { gate, request } from './http-client.js';

const base = (url: string) => url.replace(/\/metrics$/, '');

describe('health endpoints', () => {
  it('answers /healthz while alive', async () => {
    const exporter = await startExporter({ port: 0, registry: new Registry() });
    onTestFinished(() => exporter.shutdown());

    const response = await request(`${base(exporter.url)}/healthz`);

    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('OK\n');
  });

  it('follows the scheduler state on /readyz', async () => {
    const held = gate();
    const started = gate();
    const scheduler = new Scheduler();
    scheduler.addPipeline(
      new Pipeline(
        {
          fetch: async () => {
            started.open();
            await held.promise;
            return null;
          },
        },
        { write: async () => {} },
        { name: 'held', intervalMs: 3_600_000 },
      ),
    );
    const exporter = await startExporter({ port: 0, registry: new Registry(), readiness: scheduler });
    onTestFinished(() => exporter.shutdown());
    const readyz = `${base(exporter.url)}/readyz`;

    const idle = await request(readyz);
    scheduler.start();
    await started.promise;
    const running = await request(readyz);
    const stopped = scheduler.stop();
    const stopping = await request(readyz);
    const alive = await request(`${base(exporter.url)}/healthz`);
    held.open();
    await stopped;

    expect(idle.status).toBe(503);
    expect(idle.body.toString()).toBe('not ready: the scheduler is idle\n');
    expect(running.status).toBe(200);
    expect(running.body.toString()).toBe('ready\n');
    expect(stopping.status).toBe(503);
    expect(stopping.body.toString()).toBe('not ready: the scheduler is stopping\n');
    expect(alive.status).toBe(200);
  });

  it('uses a readiness function', async () => {
    let ready = false;
    const exporter = await startExporter({ port: 0, registry: new Registry(), readiness: () => ready });
    onTestFinished(() => exporter.shutdown());
    const readyz = `${base(exporter.url)}/readyz`;

    const before = await request(readyz);
    ready = true;
    const after = await request(readyz);

    expect(before.status).toBe(503);
    expect(before.body.toString()).toBe('not ready: the readiness check returned false\n');
    expect(after.status).toBe(200);
  });

  it('reports a failing readiness function', async () => {
    const exporter = await startExporter({
      port: 0,
      registry: new Registry(),
      readiness: () => {
        throw new Error('database unreachable');
      },
    });
    onTestFinished(() => exporter.shutdown());

    const response = await request(`${base(exporter.url)}/readyz`);

    expect(response.status).toBe(503);
    expect(response.body.toString()).toBe('not ready: the readiness check failed: database unreachable\n');
  });

  it('answers 503 on /readyz once shutdown began', async () => {
    const check = gate<boolean>();
    const called = gate();
    const exporter = await startExporter({
      port: 0,
      registry: new Registry(),
      shutdownTimeoutMs: 3_600_000,
      readiness: () => {
        called.open();
        return check.promise;
      },
    });

    const pending = request(`${base(exporter.url)}/readyz`);
    await called.promise;
    const shutdown = exporter.shutdown();
    check.open(true);
    const response = await pending;
    await shutdown;

    expect(response.status).toBe(503);
    expect(response.body.toString()).toBe('not ready: the exporter is shutting down\n');
    expect(response.headers.connection).toBe('close');
  });
});
