import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, tempFolder, writeLines } from './helpers.js';

describe('config mistakes', () => {
  it('reports schema, plugin and path problems together', async () => {
    const folder = await tempFolder();
    await writeFile(join(folder, 'blocker'), 'a file where a folder is expected');
    const config = await writeLines(folder, 'deltav.yaml', [
      'defaults:',
      '  interval: 5 minutes',
      '  overrun: drop',
      'pipelines:',
      '  - name: first',
      '    interval: 30s',
      '    schedule: "*/5 * * * *"',
      '    retry: { maxAttempts: 0, backoff: 2 }',
      '    source: { use: http, with: { url: "not a url" } }',
      '    destination: { use: file, with: { path: out.txt, mode: 644 } }',
      '  - name: second',
      '    maxPayloadSize: 64 megabytes',
      '    source: { use: http, with: { url: "${MISSING_URL}" } }',
      '    destination: { use: file, with: { path: blocker/out.txt } }',
    ]);

    const result = await spawnCli(['validate', '--config', config], folder, { MISSING_URL: '' }).finished;
    const lines = result.stderr.trimEnd().split('\n');

    expect(result.code).toBe(2);
    expect(lines).toEqual([
      `${config}: 10 problems found:`,
      `  ${config}:2:13 defaults.interval: invalid duration "5 minutes": expected a number with a unit (ms, s, m, h, d), such as "30s", "5m" or "1h30m"`,
      `  ${config}:3:12 defaults.overrun: Invalid option: expected one of "skip"|"queue"|"overlap"`,
      `  ${config}:7:15 pipelines[0].schedule: interval and schedule are both set; keep one: interval for a fixed period, schedule for cron`,
      `  ${config}:8:27 pipelines[0].retry.maxAttempts: Too small: expected number to be >=1`,
      `  ${config}:8:30 pipelines[0].retry.backoff: unknown key "backoff"; check its spelling against the documented keys`,
      `  ${config}:9:39 pipelines[0].source.with.url: expected an absolute http: or https: URL such as "http://127.0.0.1:8080/data", received "not a url"`,
      `  ${config}:10:60 pipelines[0].destination.with.mode: Invalid option: expected one of "overwrite"|"append"|"unique"`,
      `  ${config}:12:21 pipelines[1].maxPayloadSize: invalid size "64 megabytes": expected a number with a unit (B, kB, MB, GB, KiB, MiB, GiB), such as "64MiB"`,
      `  ${config}:13:39 pipelines[1].source.with.url: expected an absolute http: or https: URL such as "http://127.0.0.1:8080/data", received ""`,
      `  ${config}:14:45 pipelines[1].destination.with.path: cannot create the folder of "${join(folder, 'blocker', 'out.txt')}": "${join(folder, 'blocker')}" is a file, not a folder`,
    ]);
  });

  it('reports a bad cron expression and time zone', async () => {
    const folder = await tempFolder();
    const config = await writeLines(folder, 'deltav.yaml', [
      'pipelines:',
      '  - name: bad_cron',
      '    schedule: "61 * * * *"',
      '    source: { use: http, with: { url: "http://127.0.0.1:1/" } }',
      '    destination: { use: file, with: { path: a.txt } }',
      '  - name: bad_zone',
      '    schedule: "0 * * * *"',
      '    timezone: Mars/Olympus',
      '    source: { use: http, with: { url: "http://127.0.0.1:1/" } }',
      '    destination: { use: file, with: { path: b.txt } }',
    ]);

    const result = await spawnCli(['validate', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${config}:3:15 pipelines[0].schedule: `);
    expect(result.stderr).toContain(`${config}:8:15 pipelines[1].timezone: `);
    expect(result.stderr).toContain('2 problems found');
  });

  it('rejects a timezone without a schedule', async () => {
    const folder = await tempFolder();
    const config = await writeLines(folder, 'deltav.yaml', [
      'pipelines:',
      '  - name: zoned',
      '    interval: 1m',
      '    timezone: UTC',
      '    source: { use: http, with: { url: "http://127.0.0.1:1/" } }',
      '    destination: { use: file, with: { path: a.txt } }',
    ]);

    const result = await spawnCli(['validate', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${config}:4:15 pipelines[0].timezone: Pipeline "zoned": timezone is set without cron. Set cron too, or remove timezone.`);
  });

  it('reports invalid YAML with its position', async () => {
    const folder = await tempFolder();
    const config = await writeLines(folder, 'deltav.yaml', ['pipelines:', '  - name: a', '    name: b']);

    const result = await spawnCli(['validate', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${config}:3:5 invalid YAML: Map keys must be unique`);
  });
});
