/**
 * Formats a URL for messages and metadata: user name and password are dropped and the
 * values of secret query parameters (matched case-insensitively) become `redacted`.
 */
export function redactUrl(url: URL, secretQueryParams: ReadonlySet<string>): string {
  const copy = new URL(url.href);
  if (copy.username !== '' || copy.password !== '') {
    copy.username = 'redacted';
    copy.password = '';
  }

  if (copy.search === '' || secretQueryParams.size === 0) return copy.href;

  let changed = false;
  const params = new URLSearchParams();
  for (const [name, value] of copy.searchParams) {
    const secret = secretQueryParams.has(name.toLowerCase());
    changed ||= secret;
    params.append(name, secret ? 'redacted' : value);
  }
  if (changed) copy.search = params.toString();
  return copy.href;
}
