import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { reportReady, runAsChild, stopRequested } from '../harness/child.js';

export interface ServerInput {
  /** Size of the JSON document served at every path, in bytes. */
  bodyBytes: number;
}

/** Builds a JSON document of exactly `size` bytes. */
export function jsonOfSize(size: number): Buffer {
  const frame = '{"items":[],"padding":""}';
  if (size < frame.length) throw new Error(`jsonOfSize: invalid size ${size}: expected at least ${frame.length} bytes.`);
  return Buffer.from(`{"items":[],"padding":"${'x'.repeat(size - frame.length)}"}`);
}

/** A local HTTP server that responds to every GET with the same JSON document. */
runAsChild(async (input: ServerInput): Promise<{ requests: number }> => {
  const body = jsonOfSize(input.bodyBytes);
  let requests = 0;
  const server = http.createServer((_request, response) => {
    requests++;
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.byteLength }).end(body);
  });
  // Every pipeline keeps a connection open, so the default backlog of 511 is not enough for the first burst.
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  await once(server, 'listening');

  const stopping = stopRequested();
  reportReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  await stopping;
  server.closeAllConnections();
  server.close();
  return { requests };
});
