import type { Server } from 'node:net';
import { BCRYPT_HASH } from './basic-auth.js';
import { describeValue, invalidOption } from './invalid-option.js';
import type { AnyRegistry } from './pipeline-metrics.js';

/** Something whose `state` is `running` while it is ready, such as a deltav `Scheduler`. */
export interface ReadinessSource {
  readonly state: string;
}

/** TLS certificate and key files, in PEM. */
export interface ExporterTlsOptions {
  /** Path of the certificate chain file. */
  certFile: string;
  /** Path of the private key file. */
  keyFile: string;
}

/** Exporter settings: address, registry, endpoints, security and limits. */
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
  registry?: AnyRegistry;
  /**
   * URL path of the exposition; `/healthz` and `/readyz` are taken.
   * @default "/metrics"
   */
  path?: string;
  /**
   * How long `shutdown()` waits for in-progress scrapes before closing their sockets, in milliseconds.
   * @default 5000
   */
  shutdownTimeoutMs?: number;
  /**
   * What `/readyz` reports: a scheduler (ready while its `state` is `running`) or a
   * function. Either way `/readyz` returns 503 once `shutdown()` was called.
   * @default ready until `shutdown()` is called
   */
  readiness?: ReadinessSource | (() => boolean | Promise<boolean>);
  /**
   * Serve HTTPS with this certificate and key, read once at start.
   * @default plain HTTP
   */
  tls?: ExporterTlsOptions;
  /**
   * Require HTTP basic auth on the metrics path: user name to bcrypt hash of the password
   * (`$2a$`, `$2b$` or `$2y$`). `/healthz` and `/readyz` stay open for probes.
   * @default no authentication
   */
  basicAuthUsers?: Readonly<Record<string, string>>;
  /**
   * Maximum scrapes served at once; further scrapes get 503 until one finishes.
   * @default 10
   */
  maxConcurrentScrapes?: number;
  /**
   * How long a client may take to send the request headers, in milliseconds; then it gets 408.
   * @default 10000
   */
  headersTimeoutMs?: number;
  /**
   * How long a client may take to send the whole request, in milliseconds; at least `headersTimeoutMs`.
   * @default 30000
   */
  requestTimeoutMs?: number;
}

/** Options with every default filled in. */
export type ResolvedExporterOptions = Required<Omit<ExporterOptions, 'registry' | 'readiness' | 'tls' | 'basicAuthUsers'>> &
  Pick<ExporterOptions, 'registry' | 'readiness' | 'tls' | 'basicAuthUsers'>;

const COMPONENT = 'startExporter';
const RESERVED_PATHS = ['/healthz', '/readyz'];

/** Fills the defaults and validates every option, throwing a coded error on the first invalid one. */
export function resolveExporterOptions(options: ExporterOptions): ResolvedExporterOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption(COMPONENT, `invalid listen ${describeValue(options)}: expected { port, host, registry } or a listening net.Server.`);
  }

  const resolved: ResolvedExporterOptions = {
    ...options,
    port: options.port ?? 9464,
    host: options.host ?? '127.0.0.1',
    path: options.path ?? '/metrics',
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5000,
    maxConcurrentScrapes: options.maxConcurrentScrapes ?? 10,
    headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  };
  checkAddress(resolved);
  checkLimits(resolved);
  checkSecurity(resolved);
  return resolved;
}

function checkAddress({ port, host, path }: ResolvedExporterOptions): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalidOption(COMPONENT, `invalid port ${describeValue(port)}: expected an integer from 0 to 65535 (0 binds an ephemeral port).`);
  }
  if (typeof host !== 'string' || host === '') {
    throw invalidOption(COMPONENT, `invalid host ${describeValue(host)}: expected an address such as "127.0.0.1" or "::".`);
  }
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw invalidOption(COMPONENT, `invalid path ${describeValue(path)}: expected a string starting with "/", such as "/metrics".`);
  }
  if (RESERVED_PATHS.includes(path)) {
    throw invalidOption(COMPONENT, `invalid path "${path}": ${RESERVED_PATHS.join(' and ')} are the health endpoints. Choose another path, such as "/metrics".`);
  }
}

function checkLimits(options: ResolvedExporterOptions): void {
  const positive = ['shutdownTimeoutMs', 'maxConcurrentScrapes', 'headersTimeoutMs', 'requestTimeoutMs'] as const;
  for (const key of positive) {
    const value = options[key];
    if (!Number.isInteger(value) || value < (key === 'shutdownTimeoutMs' ? 0 : 1)) {
      throw invalidOption(COMPONENT, `invalid ${key} ${describeValue(value)}: expected a ${key === 'shutdownTimeoutMs' ? 'non-negative' : 'positive'} integer.`);
    }
  }
  if (options.requestTimeoutMs < options.headersTimeoutMs) {
    throw invalidOption(
      COMPONENT,
      `invalid requestTimeoutMs ${options.requestTimeoutMs}: expected at least headersTimeoutMs (${options.headersTimeoutMs}). Raise requestTimeoutMs or lower headersTimeoutMs.`,
    );
  }
  const { readiness } = options;
  if (readiness !== undefined && typeof readiness !== 'function' && (typeof readiness !== 'object' || readiness === null || !('state' in readiness))) {
    throw invalidOption(COMPONENT, `invalid readiness ${describeValue(readiness)}: expected a Scheduler or a function that returns a boolean.`);
  }
}

function checkSecurity({ tls, basicAuthUsers }: ResolvedExporterOptions): void {
  if (tls !== undefined) {
    if (typeof tls !== 'object' || tls === null || typeof tls.certFile !== 'string' || typeof tls.keyFile !== 'string' || tls.certFile === '' || tls.keyFile === '') {
      throw invalidOption(COMPONENT, `invalid tls ${describeValue(tls)}: expected { certFile, keyFile } with the paths of PEM files.`);
    }
  }
  if (basicAuthUsers === undefined) return;

  if (typeof basicAuthUsers !== 'object' || basicAuthUsers === null || Object.keys(basicAuthUsers).length === 0) {
    throw invalidOption(COMPONENT, `invalid basicAuthUsers ${describeValue(basicAuthUsers)}: expected an object of user names to bcrypt hashes, with at least one user.`);
  }
  for (const [user, hash] of Object.entries(basicAuthUsers)) {
    if (user === '' || user.includes(':')) {
      throw invalidOption(COMPONENT, `invalid basicAuthUsers user name ${describeValue(user)}: expected a non-empty name without ":".`);
    }
    if (typeof hash !== 'string' || !BCRYPT_HASH.test(hash)) {
      throw invalidOption(
        COMPONENT,
        `invalid basicAuthUsers.${user}: expected a bcrypt hash such as "$2b$10$..." (60 characters), received ${typeof hash === 'string' ? `${hash.length} characters` : describeValue(hash)}. Create one with htpasswd -nbB or bcryptjs.`,
      );
    }
  }
}

/** Tests whether a listen argument is a server rather than options. */
export function isServer(value: unknown): value is Server {
  return typeof value === 'object' && value !== null && typeof (value as Server).address === 'function' && typeof (value as Server).listen === 'function';
}
