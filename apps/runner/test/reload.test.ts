import { describe, expect, it } from 'vitest';
import { logLines, spawnCli, startCountingServer, tempFolder, writeLines, type LogLine } from './helpers.js';

function pipelineLines(name: string, url: string, interval = '100ms'): string[] {
  return [
    `  - name: ${name}`,
    `    interval: ${interval}`,
    `    source: { use: http, with: { url: "${url}" } }`,
    `    destination: { use: file, with: { path: out/${name}.json } }`,
  ];
}

describe('SIGHUP reload', () => {
  it('starts added, stops removed, restarts changed pipelines', async () => {
    const server = await startCountingServer();
    const folder = await tempFolder();
    const write = (lines: string[]) => writeLines(folder, 'deltav.yaml', ['pipelines:', ...lines]);
    const config = await write([...pipelineLines('kept', `${server.url}/kept`), ...pipelineLines('dropped', `${server.url}/dropped`), ...pipelineLines('edited', `${server.url}/edited`)]);
    const cli = spawnCli(['run', '--config', config, '--log-format', 'json'], folder);
    const logs = (): LogLine[] => logLines(cli.stderr());

    await expect.poll(() => ['/kept', '/dropped', '/edited'].every((path) => server.count(path) > 0), { timeout: 15_000 }).toBe(true);
    await write([...pipelineLines('kept', `${server.url}/kept`), ...pipelineLines('edited', `${server.url}/edited-v2`), ...pipelineLines('added', `${server.url}/added`)]);
    cli.child.kill('SIGHUP');
    await expect.poll(() => logs().some((line) => line.msg === 'config reloaded'), { timeout: 15_000 }).toBe(true);
    const droppedAfterReload = server.count('/dropped');
    const editedAfterReload = server.count('/edited');
    await expect.poll(() => server.count('/added') >= 3 && server.count('/edited-v2') >= 3, { timeout: 15_000 }).toBe(true);
    cli.child.kill('SIGTERM');
    const result = await cli.finished;

    expect(result.code).toBe(0);
    expect(logs().find((line) => line.msg === 'config reloaded')).toMatchObject({ added: ['added'], removed: ['dropped'], changed: ['edited'], unchanged: ['kept'] });
    const restarts = logs().filter((line) => line.msg === 'pipeline stopped' || line.msg === 'pipeline started').map((line) => `${line.msg} ${String(line.pipeline)}`);
    expect(restarts.sort()).toEqual(['pipeline started added', 'pipeline started edited', 'pipeline stopped dropped', 'pipeline stopped edited']);
    expect(server.count('/dropped')).toBe(droppedAfterReload);
    expect(server.count('/edited')).toBe(editedAfterReload);
  });

  it('keeps the old config when the new one is invalid', async () => {
    const server = await startCountingServer();
    const folder = await tempFolder();
    const config = await writeLines(folder, 'deltav.yaml', ['pipelines:', ...pipelineLines('steady', `${server.url}/steady`)]);
    const cli = spawnCli(['run', '--config', config, '--log-format', 'json'], folder);
    const logs = (): LogLine[] => logLines(cli.stderr());

    await expect.poll(() => server.count('/steady'), { timeout: 15_000 }).toBeGreaterThan(0);
    await writeLines(folder, 'deltav.yaml', ['pipelines:', ...pipelineLines('steady', `${server.url}/other`, '1 second'), '    colour: blue']);
    cli.child.kill('SIGHUP');
    await expect.poll(() => logs().some((line) => line.msg === 'config reload rejected; the previous config keeps running'), { timeout: 15_000 }).toBe(true);
    const before = server.count('/steady');
    await expect.poll(() => server.count('/steady'), { timeout: 15_000 }).toBeGreaterThan(before + 2);
    cli.child.kill('SIGTERM');
    const result = await cli.finished;

    expect(result.code).toBe(0);
    expect(logs().find((line) => line.msg.startsWith('config reload rejected'))).toMatchObject({
      level: 50,
      problems: [
        { path: 'pipelines[0].interval', line: 3, column: 15, message: expect.stringContaining('invalid duration "1 second"') },
        { path: 'pipelines[0].colour', line: 6, column: 5, message: 'unknown key "colour"; check its spelling against the documented keys' },
      ],
    });
    expect(server.count('/other')).toBe(0);
    expect(logs().some((line) => line.msg === 'config reloaded')).toBe(false);
  });
});
