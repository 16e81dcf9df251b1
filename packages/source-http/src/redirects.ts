import { DeltavError } from '@deltav/core';
import { HttpErrorCodes } from './errors.js';
import type { HttpMethod } from './options.js';

/** Statuses that redirect to the `Location` header. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** One request of a fetch: the first, or one that follows a redirect. */
export interface Hop {
  url: URL;
  method: HttpMethod;
  body: Buffer | undefined;
}

/** Tests whether a response redirects, so that a chain with room left follows it. */
export function isRedirect(statusCode: number, location: string | string[] | undefined): boolean {
  return REDIRECT_STATUSES.has(statusCode) && location !== undefined;
}

/**
 * Follows redirects of one fetch, as browsers do (Fetch standard, HTTP-redirect fetch).
 * 301 and 302 turn a POST into a GET without body. 303 turns anything but GET and HEAD
 * into a GET without body. 307 and 308 keep method and body.
 */
export class RedirectChain {
  readonly #maxRedirects: number;
  readonly #format: (url: URL) => string;
  readonly #visited = new Set<string>();
  #count = 0;

  constructor(first: Hop, maxRedirects: number, format: (url: URL) => string) {
    this.#maxRedirects = maxRedirects;
    this.#format = format;
    this.#visited.add(hopKey(first));
  }

  /** The number of redirects followed so far. */
  get count(): number {
    return this.#count;
  }

  /** Returns the request that follows a redirect response, or throws a coded error for loops, excess and bad locations. */
  next(current: Hop, statusCode: number, location: string | string[]): Hop {
    const from = `${current.method} ${this.#format(current.url)}`;
    const text = Array.isArray(location) ? location[0]! : location;
    const url = URL.canParse(text, current.url.href) ? new URL(text, current.url) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new DeltavError(
        HttpErrorCodes.INVALID_REDIRECT,
        `${from} redirected with status ${statusCode} to an invalid Location (expected an http: or https: URL). Request the final URL directly.`,
      );
    }
    url.hash = '';

    this.#count++;
    if (this.#count > this.#maxRedirects) {
      throw new DeltavError(
        HttpErrorCodes.TOO_MANY_REDIRECTS,
        `${from} redirected more than maxRedirects (${this.#maxRedirects}) times, last to ${this.#format(url)}. Raise maxRedirects or request the final URL directly.`,
      );
    }

    const next: Hop = keepsMethod(statusCode, current.method) ? { url, method: current.method, body: current.body } : { url, method: 'GET', body: undefined };

    const key = hopKey(next);
    if (this.#visited.has(key)) {
      throw new DeltavError(
        HttpErrorCodes.REDIRECT_LOOP,
        `${from} redirected with status ${statusCode} back to ${next.method} ${this.#format(url)}, a redirect loop. Fix the redirects on the server or request the final URL directly.`,
      );
    }
    this.#visited.add(key);
    return next;
  }
}

function keepsMethod(statusCode: number, method: HttpMethod): boolean {
  if (statusCode === 303) return method === 'GET' || method === 'HEAD';
  if (statusCode === 301 || statusCode === 302) return method !== 'POST';
  return true;
}

function hopKey(hop: Hop): string {
  return `${hop.method} ${hop.url.href}`;
}
