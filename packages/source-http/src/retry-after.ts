/**
 * Parses a `Retry-After` header (RFC 9110, section 10.2.3), given in seconds or as an
 * HTTP date, into milliseconds from `now`. A date in the past gives 0; anything else
 * that does not parse gives `undefined`.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;

  if (/^\d+$/.test(text)) return Number(text) * 1000;

  // HTTP dates always name the month; this keeps Date.parse from reading "-5" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
