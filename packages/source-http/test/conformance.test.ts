import { describeOptionsConformance, describeSourceConformance, instantiate } from '@deltav/testkit';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { httpSource } from '../src/index.js';

// Routes of the local server: /data responds with JSON, /stall never responds, /busy responds with status 503.
let base = '';
const stalled: Array<() => void> = [];
const server = http.createServer((request, response) => {
  if (request.url === '/stall') {
    stalled.shift()?.();
    return;
  }
  if (request.url === '/busy') {
    response.writeHead(503, { 'retry-after': '1' }).end('busy');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describeSourceConformance(
  {
    name: 'http',
    create: () => instantiate(httpSource, { url: `${base}/data` }),
    stalled: async () => {
      const started = new Promise<void>((resolve) => stalled.push(resolve));
      return { source: await instantiate(httpSource, { url: `${base}/stall` }), started };
    },
    transientFailure: () => instantiate(httpSource, { url: `${base}/busy` }),
  },
  { describe, it },
);

describeOptionsConformance(
  {
    definition: httpSource,
    valid: {
      url: 'http://127.0.0.1:8080/data',
      method: 'POST',
      headers: { accept: 'application/json' },
      body: '{}',
      headersTimeoutMs: 1000,
      bodyTimeoutMs: 1000,
      maxBodyBytes: 1024,
    },
  },
  { describe, it },
);
