import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { BasicAuth } from './basic-auth.js';
import type { ExporterOptions } from './exporter-options.js';
import { CONTENT_TYPES, gatherText } from './exposition.js';
import { acceptsGzip, negotiateFormat } from './negotiation.js';
import type { AnyRegistry } from './pipeline-metrics.js';

const gzipAsync = promisify(gzip);

/** Settings and state that the request handler reads. */
export interface HandlerContext {
  registry: AnyRegistry;
  path: string;
  auth: BasicAuth | undefined;
  readiness: ExporterOptions['readiness'];
  maxConcurrentScrapes: number;
  /** Whether `shutdown()` was called; responses then close their connection. */
  shuttingDown(): boolean;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const TEXT = 'text/plain; charset=utf-8';

/** Creates the request listener: the metrics path, `/healthz`, `/readyz`, and 404 elsewhere. */
export function createHandler(context: HandlerContext): Handler {
  let scrapes = 0;

  const serveScrape = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (scrapes >= context.maxConcurrentScrapes) {
      send(context, request, response, 503, `Too many concurrent scrapes: the limit is ${context.maxConcurrentScrapes}. Retry later.\n`);
      return;
    }
    scrapes++;
    try {
      if (context.auth !== undefined && !(await context.auth.verify(request.headers.authorization))) {
        send(context, request, response, 401, 'Unauthorized.\n', { 'WWW-Authenticate': 'Basic realm="deltav", charset="UTF-8"' });
        return;
      }
      await serveMetrics(context, request, response);
    } finally {
      scrapes--;
    }
  };

  return (request, response) => {
    route(context, request, response, serveScrape).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      send(context, request, response, 500, `Collecting metrics failed: ${message}\n`);
    });
  };
}

async function route(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
  serveScrape: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<void> {
  const pathname = (request.url ?? '/').split('?', 1)[0];
  const known = pathname === context.path || pathname === '/healthz' || pathname === '/readyz';
  if (!known) {
    send(context, request, response, 404, `Not found. The metrics are at ${context.path}\n`);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(context, request, response, 405, 'Method not allowed. Use GET or HEAD.\n', { Allow: 'GET, HEAD' });
    return;
  }

  if (pathname === '/healthz') {
    send(context, request, response, 200, 'OK\n');
  } else if (pathname === '/readyz') {
    const reason = await notReadyReason(context);
    send(context, request, response, reason === undefined ? 200 : 503, reason === undefined ? 'ready\n' : `not ready: ${reason}\n`);
  } else {
    await serveScrape(request, response);
  }
}

/** Returns why the process is not ready, or `undefined` when it is. */
async function notReadyReason(context: HandlerContext): Promise<string | undefined> {
  const reason = await readinessReason(context.readiness);
  // Checked after the readiness check, which may have waited while shutdown() began.
  if (context.shuttingDown()) return 'the exporter is shutting down';
  return reason;
}

async function readinessReason(readiness: HandlerContext['readiness']): Promise<string | undefined> {
  if (readiness === undefined) return undefined;
  if (typeof readiness !== 'function') {
    return readiness.state === 'running' ? undefined : `the scheduler is ${readiness.state}`;
  }
  try {
    return (await readiness()) === true ? undefined : 'the readiness check returned false';
  } catch (error) {
    return `the readiness check failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function serveMetrics(context: HandlerContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const format = negotiateFormat(request.headers);
  let body = Buffer.from(await gatherText(context.registry, format), 'utf8');
  const headers: OutgoingHttpHeaders = { 'Content-Type': CONTENT_TYPES[format], Vary: 'Accept, Accept-Encoding' };
  if (acceptsGzip(request.headers)) {
    body = await gzipAsync(body);
    headers['Content-Encoding'] = 'gzip';
  }
  sendBody(context, request, response, 200, body, headers);
}

function send(context: HandlerContext, request: IncomingMessage, response: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders = {}): void {
  sendBody(context, request, response, status, Buffer.from(text, 'utf8'), { 'Content-Type': TEXT, ...headers });
}

/** Writes a response with its length; HEAD gets the same headers without the body. */
function sendBody(context: HandlerContext, request: IncomingMessage, response: ServerResponse, status: number, body: Buffer, headers: OutgoingHttpHeaders): void {
  const all: OutgoingHttpHeaders = { ...headers, 'Content-Length': body.length };
  if (context.shuttingDown()) all.Connection = 'close';
  // Set one by one, not through writeHead, so other request listeners can read them back.
  for (const [name, value] of Object.entries(all)) if (value !== undefined) response.setHeader(name, value);
  response.writeHead(status);
  response.end(request.method === 'HEAD' ? undefined : body);
}
