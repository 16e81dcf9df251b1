import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { reportReady, runAsChild, stopRequested } from '../harness/child.js';

/** One chunk, written again and again: the body is generated on the fly, never stored. */
const CHUNK = Buffer.alloc(256 * 1024, 'deltav benchmark body\n');

/** Yields `size` bytes as copies of CHUNK. */
function* body(size: number): Generator<Buffer> {
  for (let left = size; left > 0; left -= CHUNK.byteLength) {
    yield left >= CHUNK.byteLength ? CHUNK : CHUNK.subarray(0, left);
  }
}

/** A local HTTP server: `GET /bytes/<n>` responds with a body of n bytes. */
runAsChild(async (): Promise<{ requests: number }> => {
  let requests = 0;
  const server = http.createServer((request, response) => {
    const match = /^\/bytes\/(\d+)$/.exec(request.url ?? '');
    if (match === null) {
      response.writeHead(404).end();
      return;
    }
    requests++;
    const size = Number(match[1]);
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
    // pipeline() waits for drain and stops generating when the client goes away.
    pipeline(Readable.from(body(size)), response).catch(() => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const stopping = stopRequested();
  reportReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  await stopping;
  server.closeAllConnections();
  server.close();
  return { requests };
});
