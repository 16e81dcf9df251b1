import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, startServer, tempFolder } from './helpers.js';

async function writeConfig(folder: string, url: string, interval = '1h'): Promise<string> {
  const file = join(folder, 'deltav.yaml');
  await writeFile(
    file,
    [
      'pipelines:',
      '  - name: fetch_data',
      `    interval: ${interval}`,
      `    source: { use: http, with: { url: "${url}" } }`,
      '    destination: { use: file, with: { path: ./out/data.json } }',
      '',
    ].join('\n'),
  );
  return file;
}

describe('deltav run', () => {
  it('--once writes the file and exits 0', async () => {
    const server = await startServer((_request, response) => response.end('{"ok":true}'));
    const folder = await tempFolder();
    const config = await writeConfig(folder, `${server.url}/data`);

    const { finished } = spawnCli(['run', '--once', '--config', config], folder);
    const result = await finished;

    expect(result.code).toBe(0);
    expect(await readFile(join(folder, 'out', 'data.json'), 'utf8')).toBe('{"ok":true}');
    expect(result.stdout).toMatch(/^fetch_data\s+success\s/m);
    expect(result.stdout).toContain('the pipeline succeeded');
  });

  it('--once exits 1 when a pipeline fails', async () => {
    const server = await startServer((_request, response) => response.writeHead(503).end());
    const folder = await tempFolder();
    const config = await writeConfig(folder, server.url);

    const result = await spawnCli(['run', '--once', '--config', config], folder).finished;

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^fetch_data\s+failure\s/m);
    expect(result.stdout).toContain('1 of 1 pipeline failed');
  });

  it('shuts down gracefully on SIGTERM and exits 0', async () => {
    const server = await startServer((_request, response) => response.end('tick'));
    const folder = await tempFolder();
    const config = await writeConfig(folder, server.url, '100ms');
    const { child, finished } = spawnCli(['run', '--config', config, '--log-format', 'json'], folder);

    await expect.poll(() => server.requests(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    child.kill('SIGTERM');
    const result = await finished;

    expect(result.code).toBe(0);
    expect(result.signal).toBeNull();
    const messages = result.stderr
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('shutting down gracefully');
    expect(messages.at(-1)).toBe('shutdown complete');
  });

  it('shuts down gracefully on SIGINT', async () => {
    const server = await startServer((_request, response) => response.end('tick'));
    const folder = await tempFolder();
    const config = await writeConfig(folder, server.url, '100ms');
    const { child, finished } = spawnCli(['run', '--config', config, '--log-format', 'json'], folder);

    await expect.poll(() => server.requests(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    child.kill('SIGINT');

    expect((await finished).code).toBe(0);
  });

  it('rejects an invalid config before running anything', async () => {
    const server = await startServer((_request, response) => response.end('x'));
    const folder = await tempFolder();
    const config = join(folder, 'bad.yaml');
    await writeFile(config, `pipelines:\n  - name: p\n    interval: 5 minutes\n    source: { use: http, with: { url: "${server.url}" } }\n    destination: { use: file, with: { path: out.txt } }\n`);

    const result = await spawnCli(['run', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${config}:3:15 pipelines[0].interval: invalid duration "5 minutes"`);
    expect(server.requests()).toBe(0);
  });
});
