import { closest, distance } from 'fastest-levenshtein';
import type { PathSegment } from './issues.js';

type JsonSchema = Record<string, unknown>;

/**
 * Returns the key among `candidates` that `typed` most likely misspells, or `undefined`
 * when none is close: at most 2 edits, or a third of the key's length for long keys.
 */
export function suggestKey(typed: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(typed, [...candidates]);
  const limit = Math.max(2, Math.floor(typed.length / 3));
  return distance(typed.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

/** Lists the property names that a JSON Schema allows at a key path, following `properties` and `items`. */
export function knownKeysAt(schema: JsonSchema | undefined, path: readonly PathSegment[]): string[] {
  let node: JsonSchema | undefined = schema;
  for (const segment of path) {
    if (node === undefined) return [];
    const next: unknown = typeof segment === 'number' ? node.items : (node.properties as JsonSchema | undefined)?.[segment];
    node = typeof next === 'object' && next !== null ? (next as JsonSchema) : undefined;
  }
  const properties = node?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/** Formats the unknown-key message, with a suggestion when one key is close. */
export function unknownKeyMessage(key: string, candidates: readonly string[], noun: 'key' | 'option'): string {
  const suggestion = suggestKey(key, candidates);
  if (suggestion !== undefined) return `unknown ${noun} "${key}"; did you mean "${suggestion}"?`;
  return noun === 'key'
    ? `unknown key "${key}"; check its spelling against the documented keys`
    : `unknown option "${key}"; check its spelling against the plugin's documented options`;
}
