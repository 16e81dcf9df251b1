/** A bound address for the exporter. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Parses `host:port`, `[ipv6]:port` or `:port` (every interface). Returns `undefined`
 * when the text is not one of those.
 */
export function parseListen(text: string): ListenAddress | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text.trim());
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  const host = match[1] ?? (match[2] === '' ? '0.0.0.0' : match[2]!);
  return { host, port };
}
