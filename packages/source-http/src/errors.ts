/** Stable codes of the errors that `HttpSource` raises. */
export const HttpErrorCodes = {
  INVALID_OPTION: 'DELTAV_HTTP_INVALID_OPTION',
  STATUS: 'DELTAV_HTTP_STATUS',
  TIMEOUT: 'DELTAV_HTTP_TIMEOUT',
  NETWORK: 'DELTAV_HTTP_NETWORK',
  BODY_TOO_LARGE: 'DELTAV_HTTP_BODY_TOO_LARGE',
} as const;

/** Returns the URL with any user name and password replaced, for messages and logs. */
export function redactUrl(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = 'redacted';
  copy.password = '';
  return copy.href;
}

/** Parses a `Retry-After` header, in seconds or as an HTTP date, into milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
