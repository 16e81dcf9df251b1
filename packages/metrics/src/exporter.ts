import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import { register as defaultRegistry, type Registry } from 'prom-client';

/** Where and what the exporter serves. */
export interface ExporterOptions {
  /**
   * TCP port; 0 binds an ephemeral port.
   * @default 9464
   */
  port?: number;
  /**
   * Address to bind. Use `0.0.0.0` or `::` to accept scrapes from other hosts.
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * The registry to expose.
   * @default prom-client's global registry
   */
  registry?: Registry;
  /**
   * URL path of the exposition.
   * @default "/metrics"
   */
  path?: string;
  /**
   * How long `shutdown()` waits for in-progress scrapes before closing their sockets, in milliseconds.
   * @default 5000
   */
  shutdownTimeoutMs?: number;
}

/** Options, or a `net.Server` that is already listening and should serve the exposition. */
export type ExporterListen = ExporterOptions | Server;

/** A running exporter. */
export interface ExporterHandle {
  /** The bound address. */
  readonly host: string;
  /** The bound port; the real one when port 0 was requested. */
  readonly port: number;
  /** The full URL of the exposition. */
  readonly url: string;
  /** Stops accepting connections, closes idle keep-alive ones, and resolves once closed. */
  shutdown(): Promise<void>;
  /** Settles when the exporter has closed, for whatever reason. */
  readonly closed: Promise<void>;
}

const DEFAULT_PORT = 9464;
const DEFAULT_HOST = '127.0.0.1';

/** Starts an HTTP server that serves the Prometheus exposition. */
export async function startExporter(listen: ExporterListen = {}): Promise<ExporterHandle> {
  const options = isServer(listen) ? {} : checkOptions(listen);
  const registry = options.registry ?? defaultRegistry;
  const path = options.path ?? '/metrics';
  const server = http.createServer((request, response) => {
    handle(registry, path, request, response);
  });

  let outer: Server = server;
  // Sockets handed over by a plain net.Server, with whether a request is in progress on each.
  // The inner HTTP server never listens, so its own idle-connection tracking is off.
  const forwarded = new Map<Socket, boolean>();
  let shuttingDown: Promise<void> | undefined;
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const socket = request.socket;
    if (!forwarded.has(socket)) return;
    forwarded.set(socket, true);
    response.once('finish', () => {
      forwarded.set(socket, false);
      if (shuttingDown !== undefined) socket.destroySoon();
    });
  });

  if (isServer(listen)) {
    if (!listen.listening) {
      throw new TypeError('startExporter: the server passed is not listening. Call server.listen() first, or pass { port, host } instead.');
    }
    outer = listen;
    if (!(listen instanceof http.Server)) {
      // A plain TCP server: hand its connections to the HTTP parser.
      listen.on('connection', (socket: Socket) => {
        forwarded.set(socket, false);
        socket.once('close', () => forwarded.delete(socket));
        server.emit('connection', socket);
      });
    } else {
      listen.on('request', (request, response) => handle(registry, path, request, response));
    }
  } else {
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? DEFAULT_HOST);
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  }

  const address = outer.address() as AddressInfo;
  const host = address.address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}${path}`;
  const closed = new Promise<void>((resolve) => outer.once('close', () => resolve()));
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 5000;

  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      if (!outer.listening) return;
      outer.close();
      if (outer instanceof http.Server) outer.closeIdleConnections();
      for (const [socket, busy] of forwarded) if (!busy) socket.destroy();
      const force = setTimeout(() => {
        if (outer instanceof http.Server) outer.closeAllConnections();
        for (const socket of forwarded.keys()) socket.destroy();
      }, shutdownTimeoutMs);
      await closed;
      clearTimeout(force);
    })();
    return shuttingDown;
  };

  return { host, port: address.port, url, shutdown, closed };
}

/** Starts the exporter and shuts it down when the trigger settles or aborts. */
export async function startExporterWithShutdown(listen: ExporterListen, shutdown: Promise<unknown> | AbortSignal): Promise<ExporterHandle> {
  const handle = await startExporter(listen);
  if (shutdown instanceof Promise) {
    shutdown.then(handle.shutdown, handle.shutdown);
  } else if (shutdown.aborted) {
    void handle.shutdown();
  } else {
    shutdown.addEventListener('abort', () => void handle.shutdown(), { once: true });
  }
  return handle;
}

function handle(registry: Registry, path: string, request: http.IncomingMessage, response: http.ServerResponse): void {
  const pathname = (request.url ?? '/').split('?', 1)[0];
  if (pathname !== path) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not found. The metrics are at ${path}\n`);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed. Use GET or HEAD.\n');
    return;
  }

  registry.metrics().then(
    (text) => {
      response.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': Buffer.byteLength(text) });
      response.end(request.method === 'HEAD' ? undefined : text);
    },
    (error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Collecting metrics failed: ${String(error)}\n`);
    },
  );
}

function isServer(value: ExporterListen): value is Server {
  return typeof value === 'object' && value !== null && typeof (value as Server).address === 'function' && typeof (value as Server).listen === 'function';
}

function checkOptions(options: ExporterOptions): ExporterOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`startExporter: invalid listen: expected { port, host, registry } or a listening net.Server, received ${String(options)}.`);
  }
  const { port, path } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new RangeError(`startExporter: invalid port ${String(port)}: expected an integer from 0 to 65535 (0 binds an ephemeral port).`);
  }
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    throw new TypeError(`startExporter: invalid path ${String(path)}: expected a string starting with "/", such as "/metrics".`);
  }
  return options;
}
