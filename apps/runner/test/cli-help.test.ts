import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { spawnCli, tempFolder } from './helpers.js';

const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('deltav command line', () => {
  it('--version prints the package version', async () => {
    const result = await spawnCli(['--version'], await tempFolder()).finished;

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${packageJson.version}\n`);
  });

  it('--help lists every command', async () => {
    const result = await spawnCli(['--help'], await tempFolder()).finished;

    expect(result.code).toBe(0);
    for (const command of ['run', 'validate', 'schema']) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(result.stdout).toContain('Durations are written with a unit: 500ms, 30s, 5m, 1h30m.');
  });

  it('run --help names every flag with its unit', async () => {
    const result = await spawnCli(['run', '--help'], await tempFolder()).finished;

    expect(result.code).toBe(0);
    for (const flag of ['--config <file>', '--once', '--data-dir <folder>', '--shutdown-timeout <duration>', '--log-level <level>', '--log-format <format>']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toContain('such as 10s');
    expect(result.stdout).toContain('choices: "json", "pretty"');
  });

  it('rejects an unknown command with status 1', async () => {
    const result = await spawnCli(['launch'], await tempFolder()).finished;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: unknown command 'launch'");
  });

  it('rejects a bad --log-format', async () => {
    const result = await spawnCli(['run', '--log-format', 'xml'], await tempFolder()).finished;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: option '--log-format <format>' argument 'xml' is invalid. Allowed choices are json, pretty.");
  });

  it('rejects a --shutdown-timeout without unit', async () => {
    const result = await spawnCli(['run', '--shutdown-timeout', '10'], await tempFolder()).finished;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('expected a duration with a unit, such as 500ms, 10s or 1m.');
  });
});
