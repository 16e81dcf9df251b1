import { describe, expect, it } from 'vitest';
import { spawnCli, startServer, tempFolder, writeLines } from './helpers.js';

describe('maxPayloadSize', () => {
  it('fails a run with a larger payload', async () => {
    const server = await startServer((_request, response) => response.end('0123456789'));
    const folder = await tempFolder();
    const config = await writeLines(folder, 'deltav.yaml', [
      'defaults:',
      '  maxPayloadSize: 5B',
      'pipelines:',
      '  - name: too_big',
      `    source: { use: http, with: { url: "${server.url}" } }`,
      '    destination: { use: file, with: { path: big.txt } }',
      '  - name: fits',
      '    maxPayloadSize: 1KiB',
      `    source: { use: http, with: { url: "${server.url}" } }`,
      '    destination: { use: file, with: { path: small.txt } }',
    ]);

    const result = await spawnCli(['run', '--once', '--config', config], folder).finished;

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^too_big\s+failure\s.*source error: pipeline "too_big": payload of 10 bytes is larger than maxPayloadSize \(5 bytes\)/m);
    expect(result.stdout).toMatch(/^fits\s+success\s/m);
  });
});
