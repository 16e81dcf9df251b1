import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, startServer } from './helpers.js';

describe('HttpSource auth', () => {
  let folder: string;
  let source: HttpSource | undefined;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'deltav-auth-'));
  });
  afterEach(async () => {
    vi.useRealTimers();
    await source?.close();
    source = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  it('sends basic auth', async () => {
    const server = await startServer((_request, response) => response.end());
    source = new HttpSource({ url: server.url, auth: { kind: 'basic', username: 'alice', password: 'wonder:land' } });

    await source.fetch(createRunContext().context);

    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('alice:wonder:land').toString('base64')}`);
    await closeAndExpectNoSockets(source, server);
  });

  it('reads the token file on every request', async () => {
    const server = await startServer((_request, response) => response.end());
    const tokenFile = join(folder, 'token');
    await writeFile(tokenFile, 'first-token\n');
    source = new HttpSource({ url: server.url, auth: { kind: 'bearer', tokenFile } });

    await source.fetch(createRunContext().context);
    await writeFile(tokenFile, 'second-token\n');
    await source.fetch(createRunContext().context);

    expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer first-token', 'Bearer second-token']);
    await closeAndExpectNoSockets(source, server);
  });

  it('caches the token file for fileCacheMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 0 });
    const server = await startServer((_request, response) => response.end());
    const tokenFile = join(folder, 'token');
    await writeFile(tokenFile, 'first-token');
    source = new HttpSource({ url: server.url, auth: { kind: 'bearer', tokenFile, fileCacheMs: 60_000 } });

    await source.fetch(createRunContext().context);
    await writeFile(tokenFile, 'second-token');
    await source.fetch(createRunContext().context);
    vi.setSystemTime(60_000);
    await source.fetch(createRunContext().context);

    expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer first-token', 'Bearer first-token', 'Bearer second-token']);
    await closeAndExpectNoSockets(source, server);
  });

  it('reads the basic password from a file', async () => {
    const server = await startServer((_request, response) => response.end());
    const passwordFile = join(folder, 'password');
    await writeFile(passwordFile, '  s3cret  \n');
    source = new HttpSource({ url: server.url, auth: { kind: 'basic', username: 'bob', passwordFile } });

    await source.fetch(createRunContext().context);

    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('bob:s3cret').toString('base64')}`);
    await closeAndExpectNoSockets(source, server);
  });

  it('fails on a missing or empty token file', async () => {
    const server = await startServer((_request, response) => response.end());
    const tokenFile = join(folder, 'token');
    source = new HttpSource({ url: server.url, auth: { kind: 'bearer', tokenFile } });

    const missing = await rejectionOf(source.fetch(createRunContext().context));
    await writeFile(tokenFile, '\n');
    const empty = await rejectionOf(source.fetch(createRunContext().context));

    expect(missing.code).toBe('DELTAV_HTTP_CREDENTIALS');
    expect(missing.message).toBe(`Cannot read auth.tokenFile "${tokenFile}" (ENOENT). Check the path and its permissions.`);
    expect(empty.code).toBe('DELTAV_HTTP_CREDENTIALS');
    expect(empty.message).toBe(`auth.tokenFile "${tokenFile}" is empty. Write the secret into it.`);
    expect(server.requests).toHaveLength(0);
    await closeAndExpectNoSockets(source, server);
  });
});
