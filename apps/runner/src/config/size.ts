/** Bytes per unit: decimal units (kB, MB, GB, TB) count in 1000s, binary ones (KiB, MiB, GiB, TiB) in 1024s. */
const UNIT_BYTES: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** A size: a number and a unit, such as `512KiB`, `64MiB` or `1GB`. */
export const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s?(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/;

/**
 * Parses a size such as `64MiB` or `10MB` into a whole number of bytes (rounded down).
 * Returns `undefined` for anything else, including bare numbers, so a unit is never guessed.
 */
export function parseSize(text: string): number | undefined {
  const match = SIZE_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  return Math.floor(Number(match[1]) * UNIT_BYTES[match[2]!]!);
}
