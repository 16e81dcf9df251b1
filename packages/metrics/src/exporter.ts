import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';
import { DeltavError, ErrorCodes } from '@deltav/core';
import { register as defaultRegistry } from 'prom-client';
import { BasicAuth } from './basic-auth.js';
import { createHandler } from './exporter-handler.js';
import { isServer, resolveExporterOptions, type ExporterOptions, type ResolvedExporterOptions } from './exporter-options.js';

export type { ExporterOptions, ExporterTlsOptions, ReadinessSource } from './exporter-options.js';

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
  /** The same as `shutdown()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts an HTTP or HTTPS server that serves the exposition on the metrics path, and
 * `/healthz` and `/readyz` beside it. When `listen` is a server, the defaults of every
 * option apply and its own timeouts and TLS settings are used.
 */
export async function startExporter(listen: ExporterListen = {}): Promise<ExporterHandle> {
  const provided = isServer(listen) ? listen : undefined;
  const options = resolveExporterOptions(provided === undefined ? (listen as ExporterOptions) : {});
  if (provided !== undefined && !provided.listening) {
    throw new DeltavError(
      ErrorCodes.INVALID_OPTION,
      'startExporter: the server passed is not listening. Call server.listen() first, or pass { port, host } instead.',
    );
  }

  let shuttingDown: Promise<void> | undefined;
  const handler = createHandler({
    registry: options.registry ?? defaultRegistry,
    path: options.path,
    auth: options.basicAuthUsers === undefined ? undefined : new BasicAuth(options.basicAuthUsers),
    readiness: options.readiness,
    maxConcurrentScrapes: options.maxConcurrentScrapes,
    shuttingDown: () => shuttingDown !== undefined,
  });
  const server = await createServer(options, handler);

  let outer: Server = server;
  // Sockets handed over by a plain net.Server, with whether a request is in progress on each.
  // The inner HTTP server never listens, so its own idle-connection tracking is off.
  const forwarded = new Map<Socket, boolean>();
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const socket = request.socket;
    if (!forwarded.has(socket)) return;
    forwarded.set(socket, true);
    response.once('finish', () => {
      forwarded.set(socket, false);
      if (shuttingDown !== undefined) socket.destroySoon();
    });
  });

  if (provided === undefined) {
    server.listen(options.port, options.host);
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  } else if (provided instanceof http.Server) {
    outer = provided;
    provided.on('request', handler);
  } else {
    // A plain TCP server: hand its connections to the HTTP parser.
    // NOTE: the inner server never listens, so Node.js does not enforce its header and request timeouts.
    outer = provided;
    provided.on('connection', (socket: Socket) => {
      forwarded.set(socket, false);
      socket.once('close', () => forwarded.delete(socket));
      server.emit('connection', socket);
    });
  }

  const address = outer.address() as AddressInfo;
  const host = address.address;
  const scheme = outer instanceof https.Server ? 'https' : 'http';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${address.port}${options.path}`;
  const closed = new Promise<void>((resolve) => outer.once('close', () => resolve()));

  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      if (!outer.listening) return;
      outer.close();
      if (outer instanceof http.Server || outer instanceof https.Server) outer.closeIdleConnections();
      for (const [socket, busy] of forwarded) if (!busy) socket.destroy();
      const force = setTimeout(() => {
        if (outer instanceof http.Server || outer instanceof https.Server) outer.closeAllConnections();
        for (const socket of forwarded.keys()) socket.destroy();
      }, options.shutdownTimeoutMs);
      await closed;
      clearTimeout(force);
    })();
    return shuttingDown;
  };

  return { host, port: address.port, url, shutdown, closed, [Symbol.asyncDispose]: shutdown };
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

/** Creates the HTTP or HTTPS server with the request timeouts; it does not listen yet. */
async function createServer(options: ResolvedExporterOptions, handler: http.RequestListener): Promise<http.Server | https.Server> {
  const timeouts: http.ServerOptions = {
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    // Node.js checks both timeouts on this interval (30 s by default), so a shorter
    // headers timeout needs a shorter interval to take effect on time.
    connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs),
  };
  if (options.tls === undefined) return http.createServer(timeouts, handler);

  // NOTE: the files are read once, so a renewed certificate takes effect only after a restart.
  const [cert, key] = await Promise.all([readTlsFile('certFile', options.tls.certFile), readTlsFile('keyFile', options.tls.keyFile)]);
  try {
    return https.createServer({ ...timeouts, cert, key }, handler);
  } catch (error) {
    throw new DeltavError(
      ErrorCodes.INVALID_OPTION,
      `startExporter: invalid tls certificate or key (${(error as Error).message}). Check that tls.certFile and tls.keyFile are a matching PEM certificate and key.`,
      { cause: error },
    );
  }
}

async function readTlsFile(key: 'certFile' | 'keyFile', path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new DeltavError(ErrorCodes.INVALID_OPTION, `startExporter: reading tls.${key} "${path}" failed: ${(error as Error).message}. Check the path.`, {
      cause: error,
    });
  }
}
