const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART_PATTERN = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** A duration: one or more number-and-unit parts, such as `500ms`, `30s` or `1h30m`. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/**
 * Parses a duration such as `500ms`, `30s`, `5m` or `1h30m` into milliseconds. Returns
 * `undefined` for anything else, including bare numbers, so a unit is never guessed.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION_PATTERN.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART_PATTERN)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}
