import { Gauge, Registry } from 'prom-client';
import http from 'node:http';
import https from 'node:https';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The socket the reply came on, to watch a kept-alive connection. */
  socket: import('node:net').Socket;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  agent?: http.Agent;
  /** A CA certificate to trust, for HTTPS. */
  ca?: string;
}

/** Sends one request with node:http or node:https and buffers the raw reply, without decompressing it. */
export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.agent === undefined ? { agent: false } : { agent: options.agent }),
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      (response) => {
        const socket = response.socket;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), socket }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A promise with its resolve function, for holding a collector or a readiness check open. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Creates a registry whose one gauge waits for the returned gate on each collection. */
export function slowRegistry() {
  const registry = new Registry();
  const release = gate();
  const collecting = gate();
  new Gauge({
    name: 'test_slow',
    help: 'A gauge that waits.',
    registers: [registry],
    async collect() {
      collecting.open();
      await release.promise;
      this.set(1);
    },
  });
  return { registry, release, collecting };
}
