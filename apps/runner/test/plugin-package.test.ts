import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnCli, tempFolder } from './helpers.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** Installs the built example packages into `folder/node_modules`, as `npm install` would link them. */
async function installExamples(folder: string, ...names: string[]): Promise<void> {
  await mkdir(join(folder, 'node_modules'), { recursive: true });
  for (const name of names) await symlink(join(EXAMPLES, name), join(folder, 'node_modules', name), 'dir');
}

async function writeConfig(folder: string, source: string, destination: string): Promise<string> {
  const file = join(folder, 'deltav.yaml');
  await writeFile(file, ['pipelines:', '  - name: count', '    interval: 1h', `    source: ${source}`, `    destination: ${destination}`, ''].join('\n'));
  return file;
}

describe('plugin packages', () => {
  it('loads example plugins by package name', async () => {
    const folder = await tempFolder();
    await installExamples(folder, 'deltav-source-counter', 'deltav-destination-append');
    const config = await writeConfig(
      folder,
      '{ use: deltav-source-counter, with: { start: 41 } }',
      '{ use: deltav-destination-append, with: { path: ./out/counts.ndjson } }',
    );

    const result = await spawnCli(['run', '--once', '--config', config], folder).finished;

    expect(result.code).toBe(0);
    expect(await readFile(join(folder, 'out', 'counts.ndjson'), 'utf8')).toBe('{"count":41}\n');
    expect(result.stdout).toMatch(/^count\s+success\s/m);
  });

  it('reports options the plugin schema rejects', async () => {
    const folder = await tempFolder();
    await installExamples(folder, 'deltav-source-counter');
    const config = await writeConfig(folder, '{ use: deltav-source-counter, with: { start: "one" } }', '{ use: file, with: { path: ./out.json } }');

    const result = await spawnCli(['run', '--once', '--config', config], folder).finished;

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('pipelines[0].source.with.start');
    expect(result.stderr).toContain('Invalid input: expected number, received string');
  });

  it('rejects a package without a plugin', async () => {
    const folder = await tempFolder();
    const fake = join(folder, 'node_modules', 'not-a-deltav-plugin');
    await mkdir(fake, { recursive: true });
    await writeFile(join(fake, 'package.json'), JSON.stringify({ name: 'not-a-deltav-plugin', version: '1.0.0', main: 'index.js' }));
    await writeFile(join(fake, 'index.js'), 'exports.greet = () => "hello";\nexports.version = "1.0.0";\n');
    const config = await writeConfig(folder, '{ use: not-a-deltav-plugin }', '{ use: file, with: { path: ./out.json } }');

    const result = await spawnCli(['run', '--once', '--config', config], folder).finished;

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('package "not-a-deltav-plugin" exports no deltav source plugin (made with defineSource); it exports greet, version.');
  });
});

describe('schema with plugin packages', () => {
  it('describes the options of packages the config uses', async () => {
    const folder = await tempFolder();
    await installExamples(folder, 'deltav-source-counter');
    const config = await writeConfig(folder, '{ use: deltav-source-counter, with: { start: 1 } }', '{ use: file, with: { path: ./out.json } }');

    const result = await spawnCli(['schema', '--config', config], folder).finished;
    const schema = JSON.parse(result.stdout) as {
      properties: { pipelines: { items: { properties: { source: { allOf: Array<{ if: unknown; then: { properties: { with: { properties: object } } } }> } } } } };
    };
    const rules = schema.properties.pipelines.items.properties.source.allOf;

    expect(result.code).toBe(0);
    expect(rules.map((rule) => rule.if)).toContainEqual({ properties: { use: { const: 'deltav-source-counter' } }, required: ['use'] });
    const counter = rules.find((rule) => JSON.stringify(rule.if).includes('deltav-source-counter'))!;
    expect(Object.keys(counter.then.properties.with.properties)).toContain('start');
  });

  it('fails when a package of the config is missing', async () => {
    const folder = await tempFolder();
    const config = await writeConfig(folder, '{ use: deltav-source-missing-for-test }', '{ use: file, with: { path: ./out.json } }');

    const result = await spawnCli(['schema', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('npm install deltav-source-missing-for-test');
  });
});

describe('ESM-only plugin packages', () => {
  it('loads a package that exports only an import condition', async () => {
    const folder = await tempFolder();
    const pkg = join(folder, 'node_modules', 'deltav-source-esm-only');
    await mkdir(pkg, { recursive: true });
    await writeFile(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'deltav-source-esm-only', version: '1.0.0', type: 'module', exports: { '.': { import: './index.js' } } }),
    );
    // A plugin definition is recognised by its shape, so this package needs no copy of @deltav/core.
    await writeFile(
      join(pkg, 'index.js'),
      "export const source = { kind: 'source', contract: 1, name: 'esm-only', create: () => ({ fetch: async () => ({ body: 'from an ESM-only package' }) }) };\n",
    );
    const config = await writeConfig(folder, '{ use: deltav-source-esm-only }', '{ use: file, with: { path: ./out/esm.txt } }');

    const result = await spawnCli(['run', '--once', '--config', config], folder).finished;

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^count\s+success\s/m);
    expect(await readFile(join(folder, 'out', 'esm.txt'), 'utf8')).toBe('from an ESM-only package');
  });
});
