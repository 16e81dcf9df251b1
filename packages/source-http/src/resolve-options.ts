import { DeltavError } from '@deltav/core';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { HttpErrorCodes } from './errors.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_SECRET_QUERY_PARAMS,
  httpSourceOptionsSchema,
  type HttpAuthOptions,
  type HttpMethod,
  type HttpSourceOptions,
  type HttpStatusPattern,
  type HttpTlsOptions,
} from './options.js';
import { USER_AGENT } from './version.js';

/** The encodings this source decodes, in the order it prefers them. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** `HttpSourceOptions` checked, with defaults filled and files of the TLS options read. */
export interface ResolvedOptions {
  /** The request URL with `query` applied and without user info. */
  url: URL;
  method: HttpMethod;
  /** Request headers with lower-case names, defaults included. */
  headers: Record<string, string>;
  body: Buffer | undefined;
  auth: HttpAuthOptions | undefined;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  timeoutMs: number;
  keepAliveTimeoutMs: number;
  tls: ConnectionOptions | undefined;
  proxy: string | undefined;
  proxyFromEnvironment: boolean;
  maxRedirects: number;
  isAccepted: (statusCode: number) => boolean;
  decompress: boolean;
  maxBodyBytes: number;
  conditional: boolean;
  compareContentHash: boolean;
  emptyBody: 'payload' | 'unchanged';
  stream: boolean;
  secretQueryParams: ReadonlySet<string>;
}

/**
 * Validates options and fills defaults. Throws one `DELTAV_HTTP_INVALID_OPTION` error
 * that lists every problem, each prefixed with its key path.
 */
export function resolveOptions(options: HttpSourceOptions): ResolvedOptions {
  const result = httpSourceOptionsSchema.safeParse(options);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`);
    throw new DeltavError(HttpErrorCodes.INVALID_OPTION, `HttpSource: invalid options: ${problems.join('; ')}.`);
  }

  const value = result.data;
  const url = new URL(value.url);
  appendQuery(url, value.query ?? {});
  const auth = value.auth ?? authFromUserInfo(url);
  url.username = '';
  url.password = '';

  return {
    url,
    method: value.method ?? 'GET',
    headers: buildHeaders(value),
    body: encodeBody(value),
    auth,
    connectTimeoutMs: value.connectTimeoutMs ?? 10_000,
    headersTimeoutMs: value.headersTimeoutMs ?? 30_000,
    bodyTimeoutMs: value.bodyTimeoutMs ?? 30_000,
    timeoutMs: value.timeoutMs ?? 0,
    keepAliveTimeoutMs: value.keepAliveTimeoutMs ?? 4000,
    tls: value.tls === undefined ? undefined : loadTls(value.tls),
    proxy: value.proxy,
    proxyFromEnvironment: value.proxyFromEnvironment ?? false,
    maxRedirects: value.maxRedirects ?? 10,
    isAccepted: statusMatcher(value.acceptedStatuses ?? ['2xx']),
    decompress: value.decompress ?? true,
    maxBodyBytes: value.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    conditional: value.conditional ?? true,
    compareContentHash: value.compareContentHash ?? false,
    emptyBody: value.emptyBody ?? 'payload',
    stream: value.stream ?? false,
    secretQueryParams: new Set((value.secretQueryParams ?? DEFAULT_SECRET_QUERY_PARAMS).map((name) => name.toLowerCase())),
  };
}

function appendQuery(url: URL, query: NonNullable<HttpSourceOptions['query']>): void {
  for (const [name, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) url.searchParams.append(name, String(item));
  }
}

function authFromUserInfo(url: URL): HttpAuthOptions | undefined {
  if (url.username === '' && url.password === '') return undefined;
  return { kind: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

function buildHeaders(options: HttpSourceOptions): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: '*/*' };
  if (options.decompress !== false) headers['accept-encoding'] = ACCEPT_ENCODING;
  if (options.json !== undefined) headers['content-type'] = 'application/json';

  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

function encodeBody(options: HttpSourceOptions): Buffer | undefined {
  if (options.json !== undefined) {
    const text = JSON.stringify(options.json);
    if (text === undefined) {
      throw new DeltavError(HttpErrorCodes.INVALID_OPTION, `HttpSource: invalid options: json: expected a value that JSON can encode, received a ${typeof options.json}.`);
    }
    return Buffer.from(text, 'utf8');
  }
  if (options.body === undefined) return undefined;
  // Kept as one buffer, so a 307 or 308 redirect and a retry can send it again.
  return typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : Buffer.from(options.body);
}

function statusMatcher(patterns: HttpStatusPattern[]): (statusCode: number) => boolean {
  const codes = new Set<number>();
  const classes = new Set<number>();
  for (const pattern of patterns) {
    if (typeof pattern === 'number') codes.add(pattern);
    else classes.add(Number(pattern[0]));
  }
  return (statusCode) => codes.has(statusCode) || classes.has(Math.floor(statusCode / 100));
}

function loadTls(tls: HttpTlsOptions): ConnectionOptions {
  const connection: ConnectionOptions = {};
  const ca = tls.ca ?? readPem('tls.caFile', tls.caFile);
  const cert = tls.cert ?? readPem('tls.certFile', tls.certFile);
  const key = tls.key ?? readPem('tls.keyFile', tls.keyFile);
  if (ca !== undefined) connection.ca = ca;
  if (cert !== undefined) connection.cert = cert;
  if (key !== undefined) connection.key = key;
  if (tls.passphrase !== undefined) connection.passphrase = tls.passphrase;
  if (tls.servername !== undefined) connection.servername = tls.servername;
  if (tls.insecure === true) connection.rejectUnauthorized = false;
  return connection;
}

function readPem(option: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DeltavError(HttpErrorCodes.INVALID_OPTION, `HttpSource: invalid options: ${option}: cannot read "${path}" (${reason}). Check the path and its permissions.`, {
      cause: error,
    });
  }
}
