import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const packed = ['core', 'source-http', 'dest-file'];

/**
 * A user who embeds deltav installs only the packages they need. This packs three of them
 * as they would be published and installs the tarballs into a project outside the workspace.
 */
describe('published packages without metrics', () => {
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'deltav-pack-'));
    const tarballs = join(project, 'tarballs');
    for (const name of packed) {
      execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', name), stdio: 'pipe' });
    }
    const files = (await readdir(tarballs)).map((file) => join(tarballs, file));
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'embedder', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], { cwd: project, stdio: 'pipe' });
  });

  afterAll(async () => {
    if (project !== undefined) await rm(project, { recursive: true, force: true });
  });

  it('installs neither prom-client nor @deltav/metrics', () => {
    expect(existsSync(join(project, 'node_modules', '@deltav', 'core'))).toBe(true);
    expect(existsSync(join(project, 'node_modules', 'prom-client'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', '@deltav', 'metrics'))).toBe(false);
  });

  it.each(['mjs', 'cjs'])('runs a pipeline from a .%s script', async (extension) => {
    const script = join(project, `pipeline.${extension}`);
    const load =
      extension === 'mjs'
        ? "import { Pipeline, Scheduler } from '@deltav/core';\nimport { HttpSource } from '@deltav/source-http';\nimport { FileDestination } from '@deltav/dest-file';\nimport http from 'node:http';\nimport { readFileSync } from 'node:fs';\n"
        : "const { Pipeline, Scheduler } = require('@deltav/core');\nconst { HttpSource } = require('@deltav/source-http');\nconst { FileDestination } = require('@deltav/dest-file');\nconst http = require('node:http');\nconst { readFileSync } = require('node:fs');\n";
    await writeFile(
      script,
      `${load}
const server = http.createServer((request, response) => response.end('payload from ' + request.url));
server.listen(0, '127.0.0.1', async () => {
  const url = 'http://127.0.0.1:' + server.address().port + '/${extension}';
  const target = ${JSON.stringify(join(project, 'out'))} + '/${extension}.txt';
  const scheduler = new Scheduler();
  scheduler.addPipeline(new Pipeline(new HttpSource({ url }), new FileDestination(target)).setName('packed'));
  const result = await scheduler.runNow('packed');
  await scheduler.stop();
  server.close();
  process.stdout.write(result.outcome + ' ' + readFileSync(target, 'utf8'));
});
`,
    );

    const output = execFileSync(process.execPath, [script], { cwd: project, encoding: 'utf8' });

    expect(output).toBe(`success payload from /${extension}`);
  });
});
