import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { spawnCli, startServer, tempFolder } from './helpers.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('metrics config', () => {
  it('serves the configured exporter', { timeout: 20_000 }, async () => {
    const server = await startServer((_request, response) => response.end('tick'));
    const folder = await tempFolder();
    const config = join(folder, 'deltav.yaml');
    await writeFile(
      config,
      [
        'metrics:',
        '  listen: 127.0.0.1:0',
        '  path: /internal/metrics',
        '  basicAuthUsers:',
        `    prometheus: "${bcrypt.hashSync('s3cret', 4)}"`,
        '  defaultMetrics: false',
        '  buckets:',
        '    runDuration: [1, 60]',
        '  maxConcurrentScrapes: 2',
        '  headersTimeout: 5s',
        '  requestTimeout: 10s',
        'pipelines:',
        '  - name: fetch_data',
        '    interval: 1h',
        `    source: { use: http, with: { url: "${server.url}" } }`,
        '    destination: { use: file, with: { path: ./out/data.txt } }',
        '',
      ].join('\n'),
    );
    const { child, finished, stderr } = spawnCli(['run', '--config', config, '--log-format', 'json'], folder);

    const url = await expect
      .poll(() => /"url":"([^"]+)"/.exec(stderr())?.[1], { timeout: 10_000 })
      .toMatch(/^http:\/\/127\.0\.0\.1:\d+\/internal\/metrics$/)
      .then(() => /"url":"([^"]+)"/.exec(stderr())![1]!);
    const authorization = basic('prometheus', 's3cret');
    // The first run finishes shortly after start; scrape until it shows.
    await expect
      .poll(async () => (await fetch(url, { headers: { authorization } })).text(), { timeout: 10_000 })
      .toContain('deltav_pipeline_runs_total{pipeline="fetch_data",outcome="success"} 1');
    const denied = await fetch(url);
    const scrape = await fetch(url, { headers: { authorization } });
    const text = await scrape.text();
    const ready = await fetch(url.replace('/internal/metrics', '/readyz'));
    child.kill('SIGTERM');
    await finished;

    expect(denied.status).toBe(401);
    expect(scrape.status).toBe(200);
    expect(text).toMatch(/^deltav_build_info\{version="\d+\.\d+\.\d+[^"]*"\} 1$/m);
    expect(text).toContain('deltav_pipeline_run_duration_seconds_bucket{le="60",pipeline="fetch_data"}');
    expect(text).not.toContain('process_cpu_seconds_total');
    expect(ready.status).toBe(200);
  });

  it('reports invalid metrics keys', async () => {
    const folder = await tempFolder();
    const config = join(folder, 'deltav.yaml');
    await writeFile(
      config,
      [
        'metrics:',
        '  listen: 127.0.0.1:9464',
        '  basicAuthUsers: { prometheus: hunter2 }',
        '  buckets: { runDuration: [10, 1] }',
        '  headersTimeout: 20s',
        '  requestTimeout: 10s',
        'pipelines:',
        '  - name: first',
        '    source: { use: http, with: { url: "http://127.0.0.1:9/x" } }',
        '    destination: { use: file, with: { path: out.txt } }',
        '',
      ].join('\n'),
    );

    const result = await spawnCli(['validate', '--config', config], folder).finished;
    const lines = result.stderr.split('\n');

    expect(result.code).toBe(2);
    expect(lines).toContain(
      `  ${config}:3:33 metrics.basicAuthUsers.prometheus: expected a bcrypt hash such as "$2b$10$..." (60 characters); create one with htpasswd -nbB USER PASSWORD`,
    );
    expect(lines).toContain(`  ${config}:4:27 metrics.buckets.runDuration: expected bucket upper bounds in increasing order, such as [0.1, 1, 10]`);
    expect(lines).toContain(`  ${config}:6:19 metrics.requestTimeout: expected a request timeout at least as long as headersTimeout`);
    expect(result.stderr).not.toContain('hunter2');
  });
});
