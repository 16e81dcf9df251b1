import { z } from 'zod';

/** Request methods that `HttpSource` sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A status code such as `200`, or a whole class such as `"2xx"`. */
export type HttpStatusPattern = number | '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

/** A query parameter value; arrays repeat the parameter. */
export type HttpQueryValue = string | number | boolean | ReadonlyArray<string | number | boolean>;

/** HTTP Basic authentication (RFC 7617). */
export interface HttpBasicAuthOptions {
  kind: 'basic';
  /** The user name; must not contain a colon. */
  username: string;
  /** The password. Set this or `passwordFile`, not both. */
  password?: string;
  /** A file that contains the password; surrounding whitespace is trimmed. */
  passwordFile?: string;
  /**
   * How long a password read from `passwordFile` is reused before the file is read again,
   * in milliseconds. 0 reads the file before every request.
   * @default 0
   */
  fileCacheMs?: number;
}

/** Bearer token authentication (RFC 6750). */
export interface HttpBearerAuthOptions {
  kind: 'bearer';
  /** The token. Set this or `tokenFile`. */
  token?: string;
  /** A file that contains the token; surrounding whitespace is trimmed. */
  tokenFile?: string;
  /**
   * How long a token read from `tokenFile` is reused before the file is read again, in
   * milliseconds. 0 reads the file before every request.
   * @default 0
   */
  fileCacheMs?: number;
}

export type HttpAuthOptions = HttpBasicAuthOptions | HttpBearerAuthOptions;

/** TLS settings for `https:` URLs. PEM text and file paths are read once, at construction. */
export interface HttpTlsOptions {
  /** Trusted CA certificates (PEM), replacing Node's built-in list. */
  ca?: string;
  /** A file with trusted CA certificates (PEM). */
  caFile?: string;
  /** The client certificate chain (PEM), for mutual TLS. Needs `key` or `keyFile`. */
  cert?: string;
  /** A file with the client certificate chain (PEM). */
  certFile?: string;
  /** The client private key (PEM). */
  key?: string;
  /** A file with the client private key (PEM). */
  keyFile?: string;
  /** The passphrase of an encrypted private key. */
  passphrase?: string;
  /** The server name for SNI and certificate checks, when it differs from the URL host. */
  servername?: string;
  /**
   * Accept any server certificate, even expired, self-signed or for another host. Only
   * for tests and trusted networks: it disables protection against interception.
   * @default false
   */
  insecure?: boolean;
}

/** Options of `HttpSource`. Times are in milliseconds, sizes in bytes. */
export interface HttpSourceOptions {
  /** The absolute `http:` or `https:` URL to poll. User info in it becomes Basic auth. */
  url: string;
  /**
   * The request method.
   * @default "GET"
   */
  method?: HttpMethod;
  /** Extra request headers. Names are case-insensitive; these override the defaults. */
  headers?: Record<string, string>;
  /** Query parameters appended to those already in `url`. */
  query?: Record<string, HttpQueryValue>;
  /** The request body, sent as is. Set `body` or `json`, not both. */
  body?: string | Uint8Array;
  /** A value sent as a JSON request body, with `content-type: application/json` unless set in `headers`. */
  json?: unknown;
  /** Credentials sent in the `authorization` header. */
  auth?: HttpAuthOptions;
  /**
   * Time to establish the TCP and TLS connection, in milliseconds. 0 disables it.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * Time from sending the request to receiving the complete response headers, in
   * milliseconds. 0 disables it.
   * @default 30000
   */
  headersTimeoutMs?: number;
  /**
   * Maximum idle time between two chunks of the response body, in milliseconds. 0 disables it.
   * @default 30000
   */
  bodyTimeoutMs?: number;
  /**
   * Deadline for the whole fetch, redirects and body included, in milliseconds. 0 disables
   * it; the run's own timeout still applies.
   * @default 0
   */
  timeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open between requests, in milliseconds.
   * A shorter `Keep-Alive: timeout` hint from the server wins.
   * @default 4000
   */
  keepAliveTimeoutMs?: number;
  /** TLS settings for `https:` URLs. */
  tls?: HttpTlsOptions;
  /** An `http:` or `https:` proxy URL; requests go through a CONNECT tunnel. */
  proxy?: string;
  /**
   * Use the proxy named by the `http_proxy`, `https_proxy` and `no_proxy` environment
   * variables (upper case works too). Exclusive with `proxy`.
   * @default false
   */
  proxyFromEnvironment?: boolean;
  /**
   * Maximum number of redirects followed. 0 turns following off, so a 3xx response is
   * treated like any other status.
   * @default 10
   */
  maxRedirects?: number;
  /**
   * Statuses whose body becomes the payload; anything else fails the run.
   * @default ["2xx"]
   */
  acceptedStatuses?: HttpStatusPattern[];
  /**
   * Send `accept-encoding: gzip, deflate, br` and decode the response. When false, the
   * body is returned as received.
   * @default true
   */
  decompress?: boolean;
  /**
   * Largest accepted response body, in bytes, checked both as received and after
   * decoding. A larger body aborts the transfer and fails the run.
   * @default 16777216 (16 MiB)
   */
  maxBodyBytes?: number;
  /**
   * Send `If-None-Match` and `If-Modified-Since` from the validators of the last
   * successful fetch; a `304 Not Modified` ends the run as unchanged.
   * @default true
   */
  conditional?: boolean;
  /**
   * Keep the SHA-256 of the last body and end the run as unchanged when a new body has
   * the same hash. For servers that send no validators.
   * @default false
   */
  compareContentHash?: boolean;
  /**
   * The outcome of an empty body (a 204, a HEAD response or a zero-length 200).
   * `"payload"` passes an empty payload to the destination, and `"unchanged"` ends the
   * run as unchanged.
   * @default "payload"
   */
  emptyBody?: 'payload' | 'unchanged';
  /**
   * Pass the decoded body on as a stream instead of reading it whole first, so a large
   * download flows to the destination without being held in memory. `maxBodyBytes` still
   * applies: a longer stream fails midway. Cannot be combined with `compareContentHash`
   * or `emptyBody: "unchanged"`, which need the whole body first.
   * @default false
   */
  stream?: boolean;
  /**
   * Query parameter names (case-insensitive) whose values are replaced by `redacted`
   * in error messages and metadata. Replaces the default list.
   * @default ["access_token", "api_key", "apikey", "auth", "key", "password", "secret", "sig", "signature", "token"]
   */
  secretQueryParams?: string[];
}

/** The body limit when `maxBodyBytes` is not set; the whole body is held in memory. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export const DEFAULT_SECRET_QUERY_PARAMS: readonly string[] = [
  'access_token',
  'api_key',
  'apikey',
  'auth',
  'key',
  'password',
  'secret',
  'sig',
  'signature',
  'token',
];

/** The longest accepted timeout, in milliseconds: Node's timers cap at 2^31-1. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function milliseconds() {
  return z
    .number({ error: (issue) => `expected a number of milliseconds, received ${describeValue(issue.input)}` })
    .refine((value) => Number.isInteger(value) && value >= 0 && value <= MAX_TIMEOUT_MS, {
      error: (issue) => `expected a whole number of milliseconds from 0 to ${MAX_TIMEOUT_MS}, received ${describeValue(issue.input)}`,
    });
}

function count(unit: string, min: number) {
  return z
    .number({ error: (issue) => `expected a number of ${unit}, received ${describeValue(issue.input)}` })
    .refine((value) => Number.isSafeInteger(value) && value >= min, {
      error: (issue) => `expected a whole number of ${unit} >= ${min}, received ${describeValue(issue.input)}`,
    });
}

function httpUrl(role: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `missing: set it to the absolute http: or https: URL of the ${role}` : `expected a URL string, received ${describeValue(issue.input)}`) })
    .refine((value) => isHttpUrl(value), {
      error: (issue) => `expected an absolute http: or https: URL such as "http://127.0.0.1:8080/data", received ${describeUrl(String(issue.input))}`,
    });
}

const fileCacheMs = milliseconds().optional();

const basicAuthSchema = z
  .strictObject({
    kind: z.literal('basic'),
    username: z.string().refine((value) => !value.includes(':'), { error: 'must not contain ":" (RFC 7617); put the rest in the password' }),
    password: z.string().optional(),
    passwordFile: z.string().min(1).optional(),
    fileCacheMs,
  })
  .refine((auth) => auth.password === undefined || auth.passwordFile === undefined, {
    error: 'set password or passwordFile, not both',
    path: ['passwordFile'],
  });

const bearerAuthSchema = z
  .strictObject({
    kind: z.literal('bearer'),
    token: z.string().min(1).optional(),
    tokenFile: z.string().min(1).optional(),
    fileCacheMs,
  })
  .refine((auth) => (auth.token === undefined) !== (auth.tokenFile === undefined), {
    error: 'set exactly one of token or tokenFile',
    path: ['token'],
  });

const authSchema = z.discriminatedUnion('kind', [basicAuthSchema, bearerAuthSchema], {
  error: (issue) => `unknown auth kind ${describeValue((issue.input as { kind?: unknown } | undefined)?.kind)}: expected "basic" or "bearer"`,
});

const tlsSchema = z
  .strictObject({
    ca: z.string().optional(),
    caFile: z.string().min(1).optional(),
    cert: z.string().optional(),
    certFile: z.string().min(1).optional(),
    key: z.string().optional(),
    keyFile: z.string().min(1).optional(),
    passphrase: z.string().optional(),
    servername: z.string().min(1).optional(),
    insecure: z.boolean().optional(),
  })
  .superRefine((tls, context) => {
    for (const name of ['ca', 'cert', 'key'] as const) {
      if (tls[name] !== undefined && tls[`${name}File`] !== undefined) {
        context.addIssue({ code: 'custom', path: [`${name}File`], message: `set ${name} or ${name}File, not both` });
      }
    }
    const hasCert = tls.cert !== undefined || tls.certFile !== undefined;
    const hasKey = tls.key !== undefined || tls.keyFile !== undefined;
    if (hasCert !== hasKey) {
      context.addIssue({ code: 'custom', path: [hasCert ? 'key' : 'cert'], message: 'a client certificate needs both cert (or certFile) and key (or keyFile)' });
    }
  });

const queryValue = z.union([z.string(), z.number(), z.boolean()]);

const statusPattern = z.union([
  z.number().refine((value) => Number.isInteger(value) && value >= 100 && value <= 599, {
    error: (issue) => `expected a status code from 100 to 599, received ${describeValue(issue.input)}`,
  }),
  z.enum(['1xx', '2xx', '3xx', '4xx', '5xx']),
]);

/** Headers that undici or this source set from other options. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect']);

/**
 * The options schema, shared by the constructor and the runner's config validation.
 * It checks shapes and combinations; files named in options are read by the constructor.
 */
export const httpSourceOptionsSchema = z
  .strictObject({
    url: httpUrl('endpoint to poll'),
    method: z.enum(METHODS, { error: (issue) => `expected one of ${METHODS.join(', ')}, received ${describeValue(issue.input)}` }).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    query: z.record(z.string(), z.union([queryValue, z.array(queryValue)])).optional(),
    body: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
    json: z.unknown().optional(),
    auth: authSchema.optional(),
    connectTimeoutMs: milliseconds().optional(),
    headersTimeoutMs: milliseconds().optional(),
    bodyTimeoutMs: milliseconds().optional(),
    timeoutMs: milliseconds().optional(),
    keepAliveTimeoutMs: milliseconds().optional(),
    tls: tlsSchema.optional(),
    proxy: httpUrl('proxy').optional(),
    proxyFromEnvironment: z.boolean().optional(),
    maxRedirects: count('redirects', 0).optional(),
    acceptedStatuses: z.array(statusPattern).min(1, { error: 'expected at least one status or class, such as "2xx"' }).optional(),
    decompress: z.boolean().optional(),
    maxBodyBytes: count('bytes', 1).optional(),
    conditional: z.boolean().optional(),
    compareContentHash: z.boolean().optional(),
    emptyBody: z.enum(['payload', 'unchanged']).optional(),
    stream: z.boolean().optional(),
    secretQueryParams: z.array(z.string().min(1)).optional(),
  })
  .superRefine((options, context) => {
    if (options.body !== undefined && options.json !== undefined) {
      context.addIssue({ code: 'custom', path: ['json'], message: 'set body or json, not both' });
    }
    if ((options.body !== undefined || options.json !== undefined) && options.method === 'HEAD') {
      context.addIssue({ code: 'custom', path: ['method'], message: 'a HEAD request cannot have a body; use POST or remove body and json' });
    }
    if (options.proxy !== undefined && options.proxyFromEnvironment === true) {
      context.addIssue({ code: 'custom', path: ['proxyFromEnvironment'], message: 'set proxy or proxyFromEnvironment, not both' });
    }
    for (const name of Object.keys(options.headers ?? {})) {
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower)) {
        context.addIssue({ code: 'custom', path: ['headers', name], message: `"${name}" is set by the HTTP client; remove it` });
      }
      if (lower === 'authorization' && (options.auth !== undefined || hasUserInfo(options.url))) {
        context.addIssue({ code: 'custom', path: ['headers', name], message: 'conflicts with auth or the credentials in url; keep one of them' });
      }
    }
    if (options.stream === true && options.compareContentHash === true) {
      context.addIssue({ code: 'custom', path: ['stream'], message: 'cannot be combined with compareContentHash, which needs the whole body first' });
    }
    if (options.stream === true && options.emptyBody === 'unchanged') {
      context.addIssue({ code: 'custom', path: ['stream'], message: 'cannot be combined with emptyBody: "unchanged", which needs the whole body first' });
    }
    if (options.auth !== undefined && hasUserInfo(options.url)) {
      context.addIssue({ code: 'custom', path: ['auth'], message: 'the url also has credentials; keep one of them' });
    }
  });

function isHttpUrl(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:');
}

function hasUserInfo(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return url.username !== '' || url.password !== '';
}

/** Names a URL for messages without its credentials. */
function describeUrl(value: string): string {
  if (URL.canParse(value)) return `a URL with protocol "${new URL(value).protocol}"`;
  // An unparsable string may still carry credentials, so only its shape is shown.
  return value.includes('@') ? 'a string that is not a URL' : JSON.stringify(value.slice(0, 80));
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
