import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { generate } from 'selfsigned';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startExporter } from '../src/index.js';
import { request } from './http-client.js';

async function selfSignedFiles(): Promise<{ certFile: string; keyFile: string; cert: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'deltav-tls-'));
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const certFile = join(folder, 'cert.pem');
  const keyFile = join(folder, 'key.pem');
  await writeFile(certFile, pems.cert);
  await writeFile(keyFile, pems.private);
  return { certFile, keyFile, cert: pems.cert };
}

describe('tls', () => {
  it('serves HTTPS with a certificate and key file', async () => {
    const { certFile, keyFile, cert } = await selfSignedFiles();
    const registry = new Registry();
    new Counter({ name: 'test_events_total', help: 'Test events.', registers: [registry] }).inc(2);
    const exporter = await startExporter({ port: 0, registry, tls: { certFile, keyFile } });
    onTestFinished(() => exporter.shutdown());

    const response = await request(exporter.url, { ca: cert });

    expect(exporter.url).toBe(`https://127.0.0.1:${exporter.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.body.toString().split('\n')).toContain('test_events_total 2');
  });

  it('rejects a client that does not trust the certificate', async () => {
    const { certFile, keyFile } = await selfSignedFiles();
    const exporter = await startExporter({ port: 0, registry: new Registry(), tls: { certFile, keyFile } });
    onTestFinished(() => exporter.shutdown());

    await expect(request(exporter.url)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('rejects a missing key file', async () => {
    const { certFile } = await selfSignedFiles();
    const started = startExporter({ port: 0, registry: new Registry(), tls: { certFile, keyFile: join(tmpdir(), 'deltav-missing-key.pem') } });

    await expect(started).rejects.toThrow(/reading tls\.keyFile ".*deltav-missing-key\.pem" failed: ENOENT/);
    await expect(started).rejects.toMatchObject({ code: 'DELTAV_INVALID_OPTION' });
  });

  it('rejects a key that is not PEM', async () => {
    const { certFile, keyFile } = await selfSignedFiles();
    await writeFile(keyFile, 'not a key');

    await expect(startExporter({ port: 0, registry: new Registry(), tls: { certFile, keyFile } })).rejects.toMatchObject({
      code: 'DELTAV_INVALID_OPTION',
      message: expect.stringMatching(/^startExporter: invalid tls certificate or key/),
    });
  });
});
