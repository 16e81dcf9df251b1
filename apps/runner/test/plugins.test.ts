import { mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { logLines, spawnCli, tempFolder, writeLines } from './helpers.js';

const runnerModules = fileURLToPath(new URL('../node_modules/', import.meta.url));

/** The source of a tiny third-party plugin: counts runs in its state and logs secrets that must be redacted. */
const COUNTER_PLUGIN = `
import { defineSource } from '@deltav/core';
import { z } from 'zod';

export const counterSource = defineSource({
  name: 'counter',
  schema: z.strictObject({ prefix: z.string() }),
  create: (options) => ({
    async fetch(context) {
      const count = ((await context.state.get('count')) ?? 0) + 1;
      await context.state.set('count', count);
      context.logger.info({ headers: { authorization: 'Bearer plugin-secret' }, password: 'hunter22' }, 'counter fetched');
      return { body: options.prefix + count };
    },
  }),
});
`;

/** Creates `folder/node_modules/<name>` with the given files, and links the packages it imports. */
async function installPackage(folder: string, name: string, files: Record<string, string>): Promise<void> {
  const root = join(folder, 'node_modules', name);
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: './index.js' }));
  for (const [file, text] of Object.entries(files)) await writeFile(join(root, file), text);

  await mkdir(join(folder, 'node_modules', '@deltav'), { recursive: true });
  for (const dependency of ['@deltav/core', 'zod']) {
    const link = join(folder, 'node_modules', dependency);
    await symlink(await realpath(join(runnerModules, dependency)), link, 'dir').catch((error: { code?: string }) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

async function counterConfig(folder: string, withLines: string[] = ['      with: { prefix: "run-" }']): Promise<string> {
  return writeLines(folder, 'deltav.yaml', [
    'pipelines:',
    '  - name: counted',
    '    source:',
    '      use: deltav-source-counter',
    ...withLines,
    `    destination: { use: file, with: { path: "${join(folder, 'out', 'count.txt')}" } }`,
  ]);
}

describe('third-party plugins', () => {
  it('resolves a package from the config folder', async () => {
    const folder = await tempFolder();
    const elsewhere = await tempFolder();
    await installPackage(folder, 'deltav-source-counter', { 'index.js': COUNTER_PLUGIN });
    const config = await counterConfig(folder);

    const result = await spawnCli(['run', '--once', '--config', config, '--log-format', 'json'], elsewhere).finished;

    expect(result.code).toBe(0);
    expect(await readFile(join(folder, 'out', 'count.txt'), 'utf8')).toBe('run-1');
    const fetched = logLines(result.stderr).find((line) => line.msg === 'counter fetched');
    expect(fetched).toMatchObject({ pipeline: 'counted', headers: { authorization: '[redacted]' }, password: '[redacted]' });
    expect(result.stderr).not.toContain('plugin-secret');
    expect(result.stderr).not.toContain('hunter22');
  });

  it('validates options with the plugin schema', async () => {
    const folder = await tempFolder();
    await installPackage(folder, 'deltav-source-counter', { 'index.js': COUNTER_PLUGIN });
    const config = await counterConfig(folder, ['      with:', '        prefix: 5', '        suffix: x']);

    const result = await spawnCli(['validate', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `${config}: 2 problems found:`,
      `  ${config}:6:17 pipelines[0].source.with.prefix: Invalid input: expected string, received number`,
      `  ${config}:7:9 pipelines[0].source.with.suffix: unknown option "suffix"; check its spelling against the plugin's documented options`,
    ]);
  });

  it('keeps state across runs with --data-dir', async () => {
    const folder = await tempFolder();
    await installPackage(folder, 'deltav-source-counter', { 'index.js': COUNTER_PLUGIN });
    const config = await counterConfig(folder);
    const dataDir = join(folder, 'state');

    for (let run = 0; run < 2; run++) {
      expect((await spawnCli(['run', '--once', '--config', config, '--data-dir', dataDir], folder).finished).code).toBe(0);
    }
    const inMemory = await spawnCli(['run', '--once', '--config', config], folder).finished;

    expect(inMemory.code).toBe(0);
    expect(JSON.parse(await readFile(join(dataDir, 'counted.state.json'), 'utf8'))).toEqual({ count: 2 });
    expect(await readFile(join(folder, 'out', 'count.txt'), 'utf8')).toBe('run-1');
  });

  it('says what a package exports instead', async () => {
    const folder = await tempFolder();
    await installPackage(folder, 'not-a-plugin', { 'index.js': 'export const helper = () => 1;\nexport const VERSION = "1";\n' });
    const config = await writeLines(folder, 'deltav.yaml', [
      'pipelines:',
      '  - name: p',
      '    source: { use: not-a-plugin }',
      '    destination: { use: file, with: { path: out.txt } }',
    ]);

    const result = await spawnCli(['validate', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${config}:3:20 pipelines[0].source.use: package "not-a-plugin" exports no deltav source plugin (made with defineSource); it exports VERSION, helper.`,
    );
  });

  it('names the install command for a missing package', async () => {
    const folder = await tempFolder();
    const config = await writeLines(folder, 'deltav.yaml', [
      'pipelines:',
      '  - name: p',
      '    source: { use: "@acme/deltav-source-missing" }',
      '    destination: { use: file, with: { path: out.txt } }',
    ]);

    const result = await spawnCli(['run', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${config}:3:20 pipelines[0].source.use: plugin package "@acme/deltav-source-missing" not found in node_modules above ${dirname(config)} or in the runner's installation. Install it next to the config: npm install @acme/deltav-source-missing`,
    );
  });
});
