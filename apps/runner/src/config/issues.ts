import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';

/** One problem found in a config file. */
export interface ConfigIssue {
  /** Key path such as `pipelines[2].source.with.url`; empty for the whole file. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type PathSegment = string | number;

/** Formats a key path as `pipelines[2].source.with.url`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Formats an issue as `file:line:column path: message`. */
export function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path === '' ? `${where} ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

/**
 * Finds where a key path sits in the YAML source. For a key that is missing, it points at
 * the nearest parent that exists; with `key`, it points at that key of the map.
 */
export function locate(document: Document, lines: LineCounter, path: readonly PathSegment[], key?: string): { line: number; col: number } | undefined {
  let node: unknown = document.contents;
  let found: Node | undefined = document.contents ?? undefined;
  for (const segment of path) {
    const child = isCollection(node) ? (node as { get(key: unknown, keepScalar: true): unknown }).get(segment, true) : undefined;
    if (child === undefined || child === null) break;
    node = child;
    found = child as Node;
  }

  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    if (pair !== undefined && isScalar(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]);
  }
  const range = found?.range;
  return range ? lines.linePos(range[0]) : undefined;
}

function isCollection(node: unknown): boolean {
  return typeof node === 'object' && node !== null && typeof (node as { get?: unknown }).get === 'function';
}
