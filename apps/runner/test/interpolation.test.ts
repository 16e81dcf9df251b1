import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpolateString, parseConfig } from '../src/index.js';
import { logLines, spawnCli, startServer, tempFolder, writeLines } from './helpers.js';

const options = { env: { HOST: '127.0.0.1', EMPTY: '' }, baseDir: '/' };

describe('interpolateString', () => {
  it('replaces variables and defaults', () => {
    expect(interpolateString('http://${HOST}:${PORT:-8080}/x', options)).toEqual({ ok: true, value: 'http://127.0.0.1:8080/x' });
  });

  it('uses the default for an empty variable', () => {
    expect(interpolateString('${EMPTY:-fallback}', options)).toEqual({ ok: true, value: 'fallback' });
  });

  it('keeps an empty variable without a default', () => {
    expect(interpolateString('[${EMPTY}]', options)).toEqual({ ok: true, value: '[]' });
  });

  it('turns $$ into a literal dollar', () => {
    expect(interpolateString('cost: $$5, ref: $${HOST}, lone $ sign', options)).toEqual({ ok: true, value: 'cost: $5, ref: ${HOST}, lone $ sign' });
  });

  it('names an unset variable', () => {
    expect(interpolateString('${NOPE}', options)).toEqual({
      ok: false,
      message: 'environment variable "NOPE" is not set; set it, or give a default with ${NOPE:-default}',
    });
  });

  it('rejects an unterminated reference', () => {
    expect(interpolateString('x ${HOST', options)).toMatchObject({ ok: false, message: expect.stringContaining('unterminated reference "${HOST"') });
  });

  it('rejects an invalid variable name', () => {
    expect(interpolateString('${1BAD}', options)).toMatchObject({ ok: false, message: expect.stringContaining('invalid reference "${1BAD}"') });
  });
});

describe('config interpolation', () => {
  it('never creates structure from a value', () => {
    const loaded = parseConfig(
      ['pipelines:', '  - name: p', '    source: { use: http, with: { url: "${INJECT}" } }', '    destination: { use: file, with: { path: out } }'].join('\n'),
      { env: { INJECT: 'x", extra: 1, y: "\n- name: q' } },
    );

    expect(loaded.issues).toEqual([]);
    expect(loaded.config?.pipelines).toHaveLength(1);
    expect(loaded.config?.pipelines[0]?.source.with).toEqual({ url: 'x", extra: 1, y: "\n- name: q' });
  });

  it('leaves keys and non-string values alone', () => {
    const loaded = parseConfig(
      ['pipelines:', '  - name: p', '    debugPayload: true', '    source: { use: http, with: { "${KEY}": 1 } }', '    destination: { use: file, with: { path: out } }'].join('\n'),
      { env: { KEY: 'url' } },
    );

    expect(loaded.raw).toMatchObject({ pipelines: [{ debugPayload: true, source: { with: { '${KEY}': 1 } } }] });
  });

  it('names an unset variable with its key path and line', async () => {
    const folder = await tempFolder();
    const config = await writeLines(folder, 'deltav.yaml', [
      'pipelines:',
      '  - name: p',
      '    interval: ${POLL_INTERVAL}',
      '    source: { use: http, with: { url: "${SOURCE_URL}/data" } }',
      '    destination: { use: file, with: { path: out.txt } }',
    ]);

    const result = await spawnCli(['validate', '--config', config], folder, { POLL_INTERVAL: '' }).finished;

    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `${config}: 2 problems found:`,
      `  ${config}:3:15 pipelines[0].interval: invalid duration "": expected a number with a unit (ms, s, m, h, d), such as "30s", "5m" or "1h30m"`,
      `  ${config}:4:39 pipelines[0].source.with.url: environment variable "SOURCE_URL" is not set; set it, or give a default with \${SOURCE_URL:-default}`,
    ]);
  });

  it('names an unreadable secret file', async () => {
    const folder = await tempFolder();
    const config = await writeLines(folder, 'deltav.yaml', [
      'pipelines:',
      '  - name: p',
      '    source: { use: http, with: { url: "http://127.0.0.1:1/", headers: { authorization: "Bearer ${file:secrets/missing}" } } }',
      '    destination: { use: file, with: { path: out.txt } }',
    ]);

    const result = await spawnCli(['validate', '--config', config], folder).finished;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${config}:3:88 pipelines[0].source.with.headers.authorization: cannot read secret file "${join(folder, 'secrets', 'missing')}" (ENOENT); check that it exists and is readable by this user`,
    );
  });

  it('sends env values and file secrets, and never logs the secret', async () => {
    const seen: Array<{ url: string | undefined; authorization: string | undefined }> = [];
    const server = await startServer((request, response) => {
      seen.push({ url: request.url, authorization: request.headers.authorization });
      response.writeHead(500).end('failed on purpose');
    });
    const folder = await tempFolder();
    const secretFile = join(folder, 'token');
    await writeFile(secretFile, 's3cr3t-t0ken\n');
    await chmod(secretFile, 0o600);
    const config = await writeLines(folder, 'deltav.yaml', [
      'pipelines:',
      '  - name: secret_user',
      '    retry: { maxAttempts: 1 }',
      '    source:',
      '      use: http',
      '      with:',
      '        url: "${BASE_URL}/items?key=${file:token}&price=$$5"',
      '        headers: { authorization: "Bearer ${file:token}", x-api-key: "${API_TOKEN}" }',
      '    destination: { use: file, with: { path: "${OUT_DIR:-out}/items.json" } }',
    ]);

    const result = await spawnCli(['run', '--once', '--config', config, '--log-format', 'json', '--log-level', 'debug'], folder, {
      BASE_URL: server.url,
      API_TOKEN: 'env-api-token',
    }).finished;

    expect(result.code).toBe(1);
    expect(seen).toEqual([{ url: '/items?key=s3cr3t-t0ken&price=$5', authorization: 'Bearer s3cr3t-t0ken' }]);
    const failed = logLines(result.stderr).find((line) => line.msg === 'run failed');
    expect(failed).toMatchObject({ pipeline: 'secret_user', err: { code: 'DELTAV_HTTP_STATUS' } });
    // The HTTP source redacts the key query parameter itself; the runner scrubs what is left.
    expect(JSON.stringify(failed)).toContain('/items?key=redacted&price=%245');
    for (const output of [result.stderr, result.stdout]) {
      expect(output).not.toContain('s3cr3t-t0ken');
      expect(output).not.toContain('env-api-token');
    }
    expect(result.stdout).toContain('key=redacted');
    await expect(readFile(join(folder, 'out', 'items.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
