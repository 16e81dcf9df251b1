import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { interpolateDocument } from './interpolate.js';
import { formatPath, locate, type ConfigIssue, type PathSegment } from './issues.js';
import { configSchema, type Config } from './schema.js';
import { knownKeysAt, unknownKeyMessage } from './suggest.js';

/** Finds the line and column of a key path in the config file; with `key`, of that key inside the map at `path`. */
export type Locator = (path: readonly PathSegment[], key?: string) => { line: number; column: number } | undefined;

/**
 * A config file after parsing, interpolation and schema validation. `config` is set only
 * when the schema passed. `raw` is kept either way, so plugin checks still run and every
 * problem of every pipeline is reported at once.
 */
export interface LoadResult {
  issues: ConfigIssue[];
  config: Config | undefined;
  /** The interpolated document as plain data, before the schema transformed it. */
  raw: unknown;
  locate: Locator;
  /** Interpolated values that must never be logged. */
  secrets: string[];
  /** Key paths whose interpolation failed, so later checks do not report them twice. */
  failed: ReadonlySet<string>;
}

export interface ParseOptions {
  /** Variables for `${VAR}` references. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Folder for relative `${file:...}` paths. @default the current working folder */
  baseDir?: string;
}

const nowhere: Locator = () => undefined;

/** Reads, parses, interpolates and validates a config file (YAML or JSON), collecting every problem. */
export async function loadConfigFile(file: string, options: ParseOptions = {}): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message =
      code === 'ENOENT'
        ? `config file not found at ${resolve(file)}. Check the path given to --config; it is resolved against the working folder.`
        : `cannot read the config file: ${(error as Error).message}`;
    return { issues: [{ path: '', message }], config: undefined, raw: undefined, locate: nowhere, secrets: [], failed: new Set() };
  }
  return parseConfig(text, { baseDir: dirname(resolve(file)), ...options });
}

/** Parses, interpolates and validates config text (YAML or JSON, since JSON is YAML), collecting every problem. */
export function parseConfig(text: string, options: ParseOptions = {}): LoadResult {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => {
      const position = lines.linePos(error.pos[0]);
      return { path: '', message: `invalid YAML: ${error.message.split('\n')[0]}`, line: position.line, column: position.col };
    });
    return { issues, config: undefined, raw: undefined, locate: nowhere, secrets: [], failed: new Set() };
  }

  const where = (path: readonly PathSegment[], key?: string) => {
    const position = locate(document, lines, path, key);
    return position === undefined ? undefined : { line: position.line, column: position.col };
  };

  const interpolated = interpolateDocument(document, lines, { env: options.env ?? process.env, baseDir: options.baseDir ?? process.cwd() });
  const raw: unknown = document.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  const schemaIssues = result.success ? [] : result.error.issues.flatMap((issue) => toConfigIssues(issue, where));
  const issues = [
    ...interpolated.issues,
    ...schemaIssues.filter((issue) => !interpolated.failed.has(issue.path)),
    ...duplicateNames(raw, where),
  ];

  return {
    issues,
    config: result.success ? result.data : undefined,
    raw,
    locate: where,
    secrets: interpolated.secrets,
    failed: interpolated.failed,
  };
}

/** Finds repeated pipeline names; checked apart from the schema so it runs even when other keys are wrong. */
function duplicateNames(raw: unknown, where: Locator): ConfigIssue[] {
  const pipelines = (raw as { pipelines?: unknown } | null)?.pipelines;
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
      message: unknownKeyMessage(key, knownKeysAt(runnerJsonSchema(), path), 'key'),
      ...where(path, key),
    }));
  }
  return [{ path: formatPath(path), message: describeIssue(issue), ...where(path) }];
}

let runnerSchema: Record<string, unknown> | undefined;

/** Returns the runner's own config schema as JSON Schema, rendered once, for key suggestions. */
function runnerJsonSchema(): Record<string, unknown> {
  runnerSchema ??= z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return runnerSchema;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `missing required key: expected ${issue.expected}`;
  return issue.message;
}
