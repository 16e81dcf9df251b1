import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, startServer, tempFolder, writeLines } from './helpers.js';

describe('default config file', () => {
  it('uses deltav.yml from the current folder', async () => {
    const server = await startServer((_request, response) => response.end('found'));
    const folder = await tempFolder();
    await writeLines(folder, 'deltav.yml', [
      'pipelines:',
      '  - name: found_by_default',
      `    source: { use: http, with: { url: "${server.url}" } }`,
      '    destination: { use: file, with: { path: out.txt } }',
    ]);

    const validated = await spawnCli(['validate'], folder).finished;
    const ran = await spawnCli(['run', '--once'], folder).finished;

    expect(validated.code).toBe(0);
    expect(validated.stdout).toBe(`${join(folder, 'deltav.yml')}: valid, 1 pipeline.\n`);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^found_by_default\s+success\s/m);
  });

  it('prefers deltav.yaml over deltav.json', async () => {
    const folder = await tempFolder();
    await writeLines(folder, 'deltav.json', ['{ "pipelines": [] }']);
    await writeLines(folder, 'deltav.yaml', ['pipelines: []']);

    const result = await spawnCli(['validate'], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(folder, 'deltav.yaml')}:1:12 pipelines: expected at least one pipeline`);
  });

  it('names where it looked when none exists', async () => {
    const folder = await tempFolder();

    for (const command of ['run', 'validate']) {
      const result = await spawnCli([command], folder).finished;

      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(`deltav: no config file found: looked for deltav.yaml, deltav.yml, deltav.json in ${folder}.`);
      expect(result.stderr).toContain('Pass --config FILE, or create deltav.yaml in this folder, for example:');
    }
  });
});
