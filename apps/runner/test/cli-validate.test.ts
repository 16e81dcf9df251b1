import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, tempFolder } from './helpers.js';

describe('deltav validate', () => {
  it('accepts the shipped example', async () => {
    const folder = await tempFolder();
    const example = new URL('../examples/self-scrape.yaml', import.meta.url).pathname;

    const result = await spawnCli(['validate', '--config', example], folder).finished;

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid, 1 pipeline');
  });

  it('reports every problem with its line', async () => {
    const folder = await tempFolder();
    const config = join(folder, 'deltav.yaml');
    await writeFile(
      config,
      [
        'metrics:',
        '  listen: nowhere',
        'pipelines:',
        '  - name: first',
        '    intervall: 5s',
        '    source: { use: http, with: { url: "ftp://127.0.0.1/x" } }',
        '    destination: { use: file, with: { path: out.txt } }',
        '  - name: first',
        '    source: { use: deltav-source-missing-for-test }',
        '    destination: { use: http }',
        '',
      ].join('\n'),
    );

    const result = await spawnCli(['validate', '--config', config], folder).finished;
    const lines = result.stderr.split('\n');

    expect(result.code).toBe(2);
    expect(lines).toContain(`  ${config}:2:11 metrics.listen: invalid listen address "nowhere": expected host:port, [ipv6]:port or :port, such as "127.0.0.1:9464"`);
    expect(lines).toContain(`  ${config}:5:5 pipelines[0].intervall: unknown key "intervall"; did you mean "interval"?`);
    expect(lines.some((line) => line.startsWith(`  ${config}:8:11 pipelines[1].name: duplicate pipeline name "first"`))).toBe(true);
    expect(result.stderr).toContain('found:');
  });

  it('reports plugin problems after the schema passes', async () => {
    const folder = await tempFolder();
    const config = join(folder, 'deltav.yaml');
    await writeFile(
      config,
      [
        'pipelines:',
        '  - name: first',
        '    source: { use: http, with: { url: "ftp://127.0.0.1/x", extra: 1 } }',
        '    destination: { use: file, with: { path: out.txt } }',
        '  - name: second',
        '    source: { use: deltav-source-missing-for-test }',
        '    destination: { use: http }',
        '',
      ].join('\n'),
    );

    const result = await spawnCli(['validate', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${config}:3:39 pipelines[0].source.with.url: expected an absolute http: or https: URL`);
    expect(result.stderr).toContain(`${config}:3:60 pipelines[0].source.with.extra: unknown option "extra"; check its spelling against the plugin's documented options`);
    expect(result.stderr).toContain(`${config}:6:20 pipelines[1].source.use: plugin package "deltav-source-missing-for-test" not found`);
    expect(result.stderr).toContain('npm install deltav-source-missing-for-test');
    expect(result.stderr).toContain(`${config}:7:25 pipelines[1].destination.use: "http" is a built-in source, not a destination`);
  });

  it('names a missing config file', async () => {
    const folder = await tempFolder();

    const result = await spawnCli(['validate', '--config', 'nope.yaml'], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`nope.yaml config file not found at ${join(folder, 'nope.yaml')}.`);
  });
});

describe('key suggestions', () => {
  it('suggests close keys and plugin options', async () => {
    const folder = await tempFolder();
    const config = join(folder, 'deltav.yaml');
    await writeFile(
      config,
      [
        'defaults:',
        '  retry: { maxAtempts: 3, backoff: 2 }',
        'pipelines:',
        '  - name: p',
        '    source: { use: http, with: { url: "http://127.0.0.1:1/", header: { a: b } } }',
        '    destination: { use: file, with: { pth: ./x } }',
        '',
      ].join('\n'),
    );

    const result = await spawnCli(['validate', '--config', config], folder).finished;
    const lines = result.stderr.split('\n');

    expect(result.code).toBe(2);
    expect(lines).toContain(`  ${config}:2:12 defaults.retry.maxAtempts: unknown key "maxAtempts"; did you mean "maxAttempts"?`);
    expect(lines).toContain(`  ${config}:2:27 defaults.retry.backoff: unknown key "backoff"; check its spelling against the documented keys`);
    expect(lines).toContain(`  ${config}:5:62 pipelines[0].source.with.header: unknown option "header"; did you mean "headers"?`);
    expect(lines).toContain(`  ${config}:6:37 pipelines[0].destination.with.path: missing required option: expected string`);
    expect(lines).toContain(`  ${config}:6:39 pipelines[0].destination.with.pth: unknown option "pth"; did you mean "path"?`);
  });
});
