import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, startServer, type TestServer, bodyOf } from './helpers.js';

/** Starts a CONNECT proxy on 127.0.0.1 that tunnels only to 127.0.0.1 and records each tunnel target. */
async function startProxy(): Promise<TestServer & { tunnels: string[] }> {
  const tunnels: string[] = [];
  const server: Server = createServer();
  server.on('connect', (request, client: Socket, head: Buffer) => {
    const [host, port] = request.url!.split(':');
    tunnels.push(request.url!);
    if (host !== '127.0.0.1') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  const started = await startServer(() => {}, server);
  return { ...started, tunnels };
}

describe('HttpSource proxies', () => {
  let source: HttpSource | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await source?.close();
    source = undefined;
  });

  it('tunnels through the proxy option', async () => {
    const target = await startServer((request, response) => response.end(`proxied ${request.url}`));
    const proxy = await startProxy();
    source = new HttpSource({ url: `${target.url}/data`, proxy: proxy.url });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe('proxied /data');
    expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
    await closeAndExpectNoSockets(source, target, proxy);
  });

  it('reads http_proxy with proxyFromEnvironment', async () => {
    const target = await startServer((_request, response) => response.end('via env'));
    const proxy = await startProxy();
    vi.stubEnv('http_proxy', proxy.url);
    vi.stubEnv('no_proxy', '');
    source = new HttpSource({ url: target.url, proxyFromEnvironment: true });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe('via env');
    expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
    await closeAndExpectNoSockets(source, target, proxy);
  });

  it('ignores proxy variables unless asked', async () => {
    const target = await startServer((_request, response) => response.end('direct'));
    const proxy = await startProxy();
    vi.stubEnv('http_proxy', proxy.url);
    source = new HttpSource({ url: target.url });

    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe('direct');
    expect(proxy.tunnels).toEqual([]);
    await closeAndExpectNoSockets(source, target, proxy);
  });
});
