/** The text that replaces a secret in logs and printed problems. */
export const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of each secret in `text`, both as is and as it appears inside
 * a JSON string, so a secret that reached an error message never reaches the output.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    out = out.replaceAll(secret, REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.replaceAll(escaped, REDACTED);
  }
  return out;
}
