import type { IncomingHttpHeaders } from 'node:http';
import Negotiator from 'negotiator';
import type { ExpositionFormat } from './exposition.js';

/** Media types in order of preference when `Accept` ranks them equally, as for a missing header or `*\/*`. */
const OFFERED_TYPES = ['text/plain; version=0.0.4', 'application/openmetrics-text; version=1.0.0'];

/**
 * Picks the exposition format from the `Accept` header: OpenMetrics 1.0.0 when the scraper
 * ranks it first, the Prometheus text format 0.0.4 otherwise, including when `Accept`
 * matches neither.
 */
export function negotiateFormat(headers: IncomingHttpHeaders): ExpositionFormat {
  const type = new Negotiator({ headers }).mediaType(OFFERED_TYPES);
  return type?.startsWith('application/openmetrics-text') === true ? 'openmetrics' : 'prometheus';
}

/** Tests whether `Accept-Encoding` prefers gzip to an uncompressed body. */
export function acceptsGzip(headers: IncomingHttpHeaders): boolean {
  return new Negotiator({ headers }).encoding(['gzip', 'identity']) === 'gzip';
}
