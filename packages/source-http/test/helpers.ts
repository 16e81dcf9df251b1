import { silentLogger, type PayloadInit, type RunContext, type StateStore } from '@deltav/core';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { expect, onTestFinished } from 'vitest';

/** A `plugin` event recorded by the test run context. */
export interface RecordedEvent {
  type: string;
  data: Readonly<Record<string, unknown>>;
}

/** A run context for tests: state backed by a Map, recorded events and a silent logger. */
export function createRunContext(signal: AbortSignal = new AbortController().signal, values = new Map<string, string>()) {
  const events: RecordedEvent[] = [];
  const state: StateStore = {
    async get<T>(key: string) {
      const stored = values.get(key);
      return stored === undefined ? undefined : (JSON.parse(stored) as T);
    },
    async set(key, value) {
      values.set(key, JSON.stringify(value));
    },
    async delete(key) {
      values.delete(key);
    },
  };
  const context: RunContext = {
    pipeline: 'test',
    pipelineName: 'test',
    runId: 'run-1',
    attempt: 1,
    scheduledAt: new Date(0),
    signal,
    logger: silentLogger,
    state,
    emit(type, data) {
      events.push({ type, data });
    },
  };
  return { context, events, values };
}

/** A server on 127.0.0.1 that counts connections and knows which sockets are still open. */
export interface TestServer {
  server: Server;
  /** The origin, such as `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  requests: IncomingMessage[];
  /** Request bodies, in the order the requests arrived. */
  bodies: string[];
  connections(): number;
  openSockets(): number;
}

export type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

/** Starts an HTTP server on an ephemeral port; it is closed when the test ends. */
export async function startServer(handler: Handler, server: Server = createServer()): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const requests: IncomingMessage[] = [];
  const bodies: string[] = [];
  let connections = 0;

  // For an HTTPS server this counts the TCP sockets under the TLS ones.
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    requests.push(request);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(body.toString('utf8'));
      handler(request, response, body);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const { port } = server.address() as AddressInfo;
  const protocol = server instanceof HttpsServer ? 'https' : 'http';
  return {
    server,
    url: `${protocol}://127.0.0.1:${port}`,
    port,
    requests,
    bodies,
    connections: () => connections,
    openSockets: () => sockets.size,
  };
}

/** Closes the source and waits until the server has no open socket left. */
export async function closeAndExpectNoSockets(source: { close(): Promise<void> }, ...servers: TestServer[]): Promise<void> {
  await source.close();
  for (const server of servers) {
    await expect.poll(() => server.openSockets(), { timeout: 5000 }).toBe(0);
  }
}

/** Returns what a promise rejects with, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Collects the `http.request` events of a run. */
export function requestEvents(events: RecordedEvent[]): Array<Readonly<Record<string, unknown>>> {
  return events.filter((event) => event.type === 'http.request').map((event) => event.data);
}

/** Returns the body of a buffered payload as a Buffer; fails for a missing or streamed body. */
export function bodyOf(init: PayloadInit | null | undefined): Buffer {
  if (init === null || init === undefined) throw new Error('expected a payload, received nothing');
  if (!(init.body instanceof Uint8Array)) throw new Error('expected a buffered body, received a stream');
  return Buffer.from(init.body);
}
