import { describe, expect, it } from 'vitest';
import { logLines, spawnCli, startServer, tempFolder, writeLines } from './helpers.js';

/** A server that accepts requests and never answers, so runs stay in flight. */
async function hangingServer() {
  return startServer(() => {});
}

describe('shutdown signals', () => {
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`second ${signal} exits at once with ${status}`, async () => {
      const server = await hangingServer();
      const folder = await tempFolder();
      const config = await writeLines(folder, 'deltav.yaml', [
        'defaults:',
        '  shutdownTimeout: 10m',
        '  timeout: 1h',
        'pipelines:',
        '  - name: stuck',
        `    source: { use: http, with: { url: "${server.url}", headersTimeoutMs: 3600000 } }`,
        '    destination: { use: file, with: { path: out.txt } }',
      ]);
      const cli = spawnCli(['run', '--config', config, '--log-format', 'json'], folder);

      await expect.poll(() => server.requests(), { timeout: 15_000 }).toBe(1);
      cli.child.kill(signal);
      await expect.poll(() => logLines(cli.stderr()).some((line) => line.msg === 'shutting down gracefully'), { timeout: 15_000 }).toBe(true);
      cli.child.kill(signal);
      const result = await cli.finished;

      expect(result.code).toBe(status);
      expect(logLines(result.stderr).at(-1)).toMatchObject({ msg: 'second signal received; exiting without waiting for runs', signal });
    });
  }

  it('aborts runs after the shutdown timeout', async () => {
    const server = await hangingServer();
    const folder = await tempFolder();
    const config = await writeLines(folder, 'deltav.yaml', [
      'pipelines:',
      '  - name: stuck',
      '    timeout: 1h',
      `    source: { use: http, with: { url: "${server.url}", headersTimeoutMs: 3600000 } }`,
      '    destination: { use: file, with: { path: out.txt } }',
    ]);
    const cli = spawnCli(['run', '--config', config, '--log-format', 'json', '--shutdown-timeout', '200ms'], folder);

    await expect.poll(() => server.requests(), { timeout: 15_000 }).toBe(1);
    cli.child.kill('SIGINT');
    const result = await cli.finished;

    expect(result.code).toBe(0);
    const messages = logLines(result.stderr).map((line) => line.msg);
    expect(messages).toContain('aborting runs still in flight after the shutdown timeout');
    expect(logLines(result.stderr).find((line) => line.msg === 'run failed')).toMatchObject({ pipeline: 'stuck', err: { code: 'DELTAV_RUN_ABORTED' } });
    expect(messages.at(-1)).toBe('shutdown complete');
  });
});
