import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';
import type { ResolvedOptions } from './resolve-options.js';

/** The source's connection pool and how to tell whether a request opened a new connection. */
export interface SourceDispatcher {
  dispatcher: Dispatcher;
  /**
   * Counts connections opened so far, or returns `undefined` when the dispatcher does
   * not report them (the proxy agents).
   */
  connections(): number | undefined;
}

/**
 * Creates the one keep-alive dispatcher a source uses for all its requests: a plain
 * `Agent`, a `ProxyAgent` for `proxy`, or an `EnvHttpProxyAgent` for `proxyFromEnvironment`.
 */
export function createDispatcher(options: ResolvedOptions): SourceDispatcher {
  // undici reads `timeout` as the connect timeout; 0 turns it off.
  const connect = { ...options.tls, timeout: options.connectTimeoutMs };
  const common = {
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
  };

  if (options.proxy !== undefined) {
    const proxy = new ProxyAgent({ ...common, uri: options.proxy, requestTls: connect, proxyTls: { timeout: options.connectTimeoutMs } });
    return { dispatcher: proxy, connections: () => undefined };
  }

  if (options.proxyFromEnvironment) {
    const proxy = new EnvHttpProxyAgent({ ...common, connect, requestTls: connect, proxyTls: { timeout: options.connectTimeoutMs } });
    return { dispatcher: proxy, connections: () => undefined };
  }

  const agent = new Agent({ ...common, connect });
  let opened = 0;
  agent.on('connect', () => {
    opened++;
  });
  return { dispatcher: agent, connections: () => opened };
}
