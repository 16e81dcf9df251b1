import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath, locate, type ConfigIssue, type PathSegment } from './issues.js';
import { configSchema, type Config } from './schema.js';

/** The outcome of reading a config file: the config, or every problem found. */
export type LoadResult =
  | { ok: true; config: Config; locate: (path: readonly PathSegment[]) => { line: number; column: number } | undefined }
  | { ok: false; issues: ConfigIssue[] };

/** Reads, parses and validates a config file (YAML or JSON), collecting every problem. */
export async function loadConfigFile(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message =
      code === 'ENOENT'
        ? 'config file not found. Pass --config with the path of your YAML or JSON config file.'
        : `cannot read the config file: ${(error as Error).message}`;
    return { ok: false, issues: [{ path: '', message }] };
  }
  return parseConfig(text);
}

/** Parses and validates config text (YAML or JSON), collecting every problem. */
export function parseConfig(text: string): LoadResult {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      issues: document.errors.map((error) => {
        const position = lines.linePos(error.pos[0]);
        return { path: '', message: `invalid YAML: ${error.message.split('\n')[0]}`, line: position.line, column: position.col };
      }),
    };
  }

  const where = (path: readonly PathSegment[], key?: string) => {
    const position = locate(document, lines, path, key);
    return position === undefined ? undefined : { line: position.line, column: position.col };
  };

  const raw: unknown = document.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  const issues = result.success ? [] : result.error.issues.flatMap((issue) => toConfigIssues(issue, where));
  issues.push(...duplicateNames(raw, where));
  if (!result.success || issues.length > 0) return { ok: false, issues };
  return { ok: true, config: result.data, locate: (path) => where(path) };
}

/** Finds repeated pipeline names; checked apart from the schema so it runs even when other keys are wrong. */
function duplicateNames(raw: unknown, where: (path: readonly PathSegment[]) => { line: number; column: number } | undefined): ConfigIssue[] {
  const pipelines = (raw as { pipelines?: unknown }).pipelines;
  if (!Array.isArray(pipelines)) return [];
  const seen = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  pipelines.forEach((entry: unknown, index) => {
    const name = (entry as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, index);
      return;
    }
    issues.push({
      path: formatPath(['pipelines', index, 'name']),
      message: `duplicate pipeline name "${name}", already used by pipelines[${first}]; give each pipeline a unique name`,
      ...where(['pipelines', index, 'name']),
    });
  });
  return issues;
}

function toConfigIssues(
  issue: z.core.$ZodIssue,
  where: (path: readonly PathSegment[], key?: string) => { line: number; column: number } | undefined,
): ConfigIssue[] {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...path, key]),
      message: `unknown key "${key}"; check its spelling against the documented keys`,
      ...where(path, key),
    }));
  }
  return [{ path: formatPath(path), message: describeIssue(issue), ...where(path) }];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `missing required key: expected ${issue.expected}`;
  return issue.message;
}
