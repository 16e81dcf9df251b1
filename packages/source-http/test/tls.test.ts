import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, startServer, bodyOf } from './helpers.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// NOTE: skipped where the openssl command is missing, because the certificates are made at test time.
describe.skipIf(!hasOpenssl())('HttpSource TLS', () => {
  let folder: string;
  const file = (name: string) => join(folder, name);
  let source: HttpSource | undefined;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'deltav-tls-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: folder, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=deltav test CA', '-keyout', 'ca-key.pem', '-out', 'ca.pem');
    for (const [name, extension] of [
      ['server', 'subjectAltName=IP:127.0.0.1'],
      ['client', 'extendedKeyUsage=clientAuth'],
    ] as const) {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '1', '-extfile', writeExtension(name, extension), '-out', `${name}.pem`);
    }
  });

  function writeExtension(name: string, line: string): string {
    const path = join(folder, `${name}.ext`);
    execFileSync('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', line, path]);
    return path;
  }

  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  async function startTlsServer(requestCert = false) {
    const server = createServer({
      key: readFileSync(file('server-key.pem')),
      cert: readFileSync(file('server.pem')),
      ca: readFileSync(file('ca.pem')),
      requestCert,
      rejectUnauthorized: requestCert,
    });
    return startServer((request, response) => {
      const peer = (request.socket as TLSSocket).getPeerCertificate();
      response.end(`client ${peer?.subject?.CN ?? 'none'}`);
    }, server);
  }

  it('rejects an unknown CA as final', async () => {
    const server = await startTlsServer();
    source = new HttpSource({ url: server.url });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_NETWORK');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`GET ${server.url}/ failed: self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN). Check tls.ca or tls.caFile, or the server's certificate.`);
    await closeAndExpectNoSockets(source, server);
  });

  it('trusts the CA from caFile', async () => {
    const server = await startTlsServer();
    source = new HttpSource({ url: server.url, tls: { caFile: file('ca.pem') } });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe('client none');
    await closeAndExpectNoSockets(source, server);
  });

  it('accepts any certificate with insecure', async () => {
    const server = await startTlsServer();
    source = new HttpSource({ url: server.url, tls: { insecure: true } });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe('client none');
    await closeAndExpectNoSockets(source, server);
  });

  it('sends the client certificate', async () => {
    const server = await startTlsServer(true);
    source = new HttpSource({ url: server.url, tls: { ca: readFileSync(file('ca.pem'), 'utf8'), certFile: file('client.pem'), keyFile: file('client-key.pem') } });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe('client client');
    await closeAndExpectNoSockets(source, server);
  });

  it('fails without the required client certificate', async () => {
    const server = await startTlsServer(true);
    source = new HttpSource({ url: server.url, tls: { caFile: file('ca.pem') } });

    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_NETWORK');
    await closeAndExpectNoSockets(source, server);
  });
});
