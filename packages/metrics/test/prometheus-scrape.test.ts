import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline, Scheduler } from '@deltav/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { instrumentScheduler, startExporter } from '../src/index.js';
import { hasPrometheus } from './promtool.js';

/** Finds a free loopback port by binding port 0 and closing the socket again. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Calls `probe` every 200 ms until it returns a value, or throws with the last reason after `limitMs`. */
async function poll<T>(probe: () => Promise<T | undefined>, limitMs: number, what: string): Promise<T> {
  const deadline = Date.now() + limitMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Prometheus: ${what} not seen within ${limitMs} ms. Last error: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function api<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`);
  const body = (await response.json()) as { status: string; data: T };
  if (body.status !== 'success') throw new Error(`${path} answered ${JSON.stringify(body)}`);
  return body.data;
}

interface Target {
  health: string;
  lastError: string;
  scrapeUrl: string;
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe.skipIf(!hasPrometheus())('a real Prometheus server', () => {
  it('scrapes the exporter', { timeout: 60_000 }, async () => {
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline({ fetch: async () => ({ body: 'hello' }) }, { write: async () => {} }, { name: 'scraped' }));
    instrumentScheduler(scheduler);
    await scheduler.runNow('scraped');

    // The test owns the server, so it can see what each scrape asked for and got.
    const server = http.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const scrapes: Array<{ accept: string | undefined; contentType: unknown }> = [];
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      response.once('finish', () => scrapes.push({ accept: request.headers.accept, contentType: response.getHeader('content-type') }));
    });
    const exporter = await startExporter(server);
    onTestFinished(() => exporter.shutdown());

    const folder = await mkdtemp(join(tmpdir(), 'deltav-prometheus-'));
    onTestFinished(() => rm(folder, { recursive: true, force: true }));
    const config = join(folder, 'prometheus.yml');
    await writeFile(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: deltav',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${exporter.port}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const prometheus: ChildProcess = spawn(
      'prometheus',
      [`--config.file=${config}`, `--storage.tsdb.path=${join(folder, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    prometheus.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    onTestFinished(async () => {
      if (prometheus.exitCode === null) {
        prometheus.kill('SIGTERM');
        await once(prometheus, 'exit');
      }
    });

    const target = await poll(
      async () => {
        const { activeTargets } = await api<{ activeTargets: Target[] }>(base, '/api/v1/targets');
        return activeTargets.find((candidate) => candidate.health === 'up');
      },
      30_000,
      `an up target (log: ${log})`,
    );
    const samples = await poll(
      async () => {
        const result = await api<{ result: Sample[] }>(base, `/api/v1/query?query=${encodeURIComponent('deltav_pipeline_runs_total{outcome="success"}')}`);
        return result.result.length > 0 ? result.result : undefined;
      },
      30_000,
      'a deltav series',
    );
    const buildInfo = await api<{ result: Sample[] }>(base, `/api/v1/query?query=deltav_build_info`);

    expect(target.scrapeUrl).toBe(exporter.url);
    expect(target.lastError).toBe('');
    expect(samples).toHaveLength(1);
    expect(samples[0]!.metric).toMatchObject({ __name__: 'deltav_pipeline_runs_total', pipeline: 'scraped', outcome: 'success', job: 'deltav' });
    expect(samples[0]!.value[1]).toBe('1');
    expect(buildInfo.result[0]!.metric).toMatchObject({ __name__: 'deltav_build_info', version: '0.0.0-dev' });
    expect(scrapes[0]!.accept).toContain('application/openmetrics-text');
    expect(scrapes[0]!.contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
  });
});
