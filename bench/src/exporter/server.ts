import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { startExporter } from '@deltav/metrics';
import { Registry, type RegistryContentType } from 'prom-client';
import { reportReady, runAsChild, stopRequested } from '../harness/child.js';
import { cpuSecondsBetween, usageSnapshot } from '../harness/usage.js';
import { fillRegistry } from './series.js';

const gzipAsync = promisify(gzip);

export interface ServerInput {
  server: 'deltav' | 'bare';
  pipelines: number;
  /** The format the bare server serves; the deltav exporter is only asked for it by the Accept header. */
  format: 'text' | 'openmetrics';
  /** Whether the bare server compresses; the deltav exporter is only asked by Accept-Encoding. */
  gzip: boolean;
}

export interface ServerResult {
  /** CPU seconds the server spent between ready and stop, that is, under load. */
  cpuSeconds: number;
  maxRssBytes: number;
}

/**
 * A metrics server under load: deltav's `startExporter`, or a bare `http.createServer`
 * that responds to every request with `registry.metrics()`, gzipped when requested.
 */
runAsChild(async (input: ServerInput): Promise<ServerResult> => {
  const registry = new Registry();
  await fillRegistry(registry, input.pipelines);

  let url: string;
  let close: () => Promise<void>;
  if (input.server === 'deltav') {
    const exporter = await startExporter({ port: 0, host: '127.0.0.1', registry });
    url = exporter.url;
    close = () => exporter.shutdown();
  } else {
    if (input.format === 'openmetrics') {
      // prom-client types a registry by its content type; this one switches after it was filled.
      (registry as Registry<RegistryContentType>).setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    }
    const server = http.createServer((request, response) => {
      void serveBare(registry, input.gzip, request, response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    close = async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    };
  }

  const stopping = stopRequested();
  const before = usageSnapshot();
  reportReady({ url });
  await stopping;
  const after = usageSnapshot();
  await close();
  return { cpuSeconds: cpuSecondsBetween(before, after), maxRssBytes: after.maxRssBytes };
});

async function serveBare(registry: Registry, compress: boolean, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  try {
    const text = await registry.metrics();
    const wantsGzip = compress && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    const body = wantsGzip ? await gzipAsync(text) : Buffer.from(text);
    response.writeHead(200, {
      'Content-Type': registry.contentType,
      'Content-Length': body.byteLength,
      ...(wantsGzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    response.end(body);
  } catch (error) {
    response.writeHead(500).end(String(error));
  }
}
