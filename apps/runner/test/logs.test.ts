import { describe, expect, it } from 'vitest';
import { freePort, logLines, spawnCli, startServer, tempFolder, writeLines } from './helpers.js';

async function setup() {
  const server = await startServer((_request, response) => response.end('0123456789'));
  const folder = await tempFolder();
  const config = await writeLines(folder, 'deltav.yaml', [
    'pipelines:',
    '  - name: logged',
    '    retry: { maxAttempts: 1 }',
    `    source: { use: http, with: { url: "${server.url}/data" } }`,
    '    destination: { use: file, with: { path: out.txt } }',
  ]);
  return { folder, config };
}

describe('logs', () => {
  it('json logs each run with its fields', async () => {
    const { folder, config } = await setup();

    const result = await spawnCli(['run', '--once', '--config', config, '--log-format', 'json'], folder).finished;
    const finished = logLines(result.stderr).find((line) => line.msg === 'run finished');

    expect(result.code).toBe(0);
    expect(finished).toMatchObject({ level: 30, service: 'deltav', pipeline: 'logged', outcome: 'success', bytes: 10 });
    expect(finished?.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof finished?.durationMs).toBe('number');
    expect(result.stderr.trimEnd().split('\n').every((line) => line.startsWith('{') && line.endsWith('}'))).toBe(true);
  });

  it('json logs errors with code and cause', async () => {
    const folder = await tempFolder();
    const port = await freePort();
    const config = await writeLines(folder, 'deltav.yaml', [
      'pipelines:',
      '  - name: refused',
      '    retry: { maxAttempts: 1 }',
      `    source: { use: http, with: { url: "http://127.0.0.1:${port}/data" } }`,
      '    destination: { use: file, with: { path: out.txt } }',
    ]);

    const result = await spawnCli(['run', '--once', '--config', config, '--log-format', 'json'], folder).finished;
    const failed = logLines(result.stderr).find((line) => line.msg === 'run failed') as { err?: { stack?: string } } | undefined;

    expect(result.code).toBe(1);
    expect(failed).toMatchObject({ level: 40, pipeline: 'refused', outcome: 'failure', stage: 'source', err: { code: 'DELTAV_HTTP_NETWORK', type: 'DeltavError' } });
    expect(failed?.err?.stack).toContain('caused by: Error: connect ECONNREFUSED');
  });

  it('--log-level warn hides info lines', async () => {
    const { folder, config } = await setup();

    const result = await spawnCli(['run', '--once', '--config', config, '--log-format', 'json', '--log-level', 'warn'], folder).finished;

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('--log-format pretty writes readable lines', async () => {
    const { folder, config } = await setup();

    const result = await spawnCli(['run', '--once', '--config', config, '--log-format', 'pretty'], folder).finished;

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/INFO.*: run finished\n/);
    expect(result.stderr).toContain('pipeline: "logged"');
    expect(result.stderr).not.toMatch(/^\{/m);
  });

  it('defaults to json when stderr is not a terminal', async () => {
    const { folder, config } = await setup();

    const result = await spawnCli(['run', '--once', '--config', config], folder).finished;

    expect(result.code).toBe(0);
    expect(logLines(result.stderr).map((line) => line.msg)).toContain('run finished');
  });
});
