import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';

/** The problems and secrets found while interpolating, besides the updated document. */
export interface InterpolationResult {
  issues: ConfigIssue[];
  /** Values that must never reach the logs: file secrets and variables named like secrets. */
  secrets: string[];
  /** Key paths whose value could not be interpolated, so later checks skip them. */
  failed: Set<string>;
}

export interface InterpolationOptions {
  env: NodeJS.ProcessEnv;
  /** Folder against which relative `${file:...}` paths resolve: the config file's folder. */
  baseDir: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variable names whose values are treated as secrets and kept out of the logs. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE_?KEY|AUTH/i;
/**
 * Shorter values are not scrubbed from log lines, because replacing every occurrence of a
 * one- or two-character string would mangle unrelated text.
 */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces `${VAR}`, `${VAR:-default}` and `${file:PATH}` inside every string scalar of
 * the parsed document, in place. Runs after parsing, so a value can never add keys or
 * items. `$$` stands for a literal `$`.
 */
export function interpolateDocument(document: Document, lines: LineCounter, options: InterpolationOptions): InterpolationResult {
  const result: InterpolationResult = { issues: [], secrets: [], failed: new Set() };

  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)]);
      }
      return;
    }
    if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
      return;
    }
    if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('$')) return;

    const replaced = interpolateString(node.value, options, result.secrets);
    if (replaced.ok) {
      node.value = replaced.value;
      return;
    }
    const key = formatPath(path);
    const position = node.range === undefined || node.range === null ? undefined : lines.linePos(node.range[0]);
    result.failed.add(key);
    result.issues.push({ path: key, message: replaced.message, ...(position === undefined ? {} : { line: position.line, column: position.col }) });
  };

  visit(document.contents, []);
  return result;
}

type Interpolated = { ok: true; value: string } | { ok: false; message: string };

/** Interpolates one string; stops at the first reference that cannot be resolved. */
export function interpolateString(text: string, options: InterpolationOptions, secrets: string[] = []): Interpolated {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      out += text.slice(index);
      break;
    }
    out += text.slice(index, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      index = dollar + 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      index = dollar + 1;
      continue;
    }

    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      return { ok: false, message: `unterminated reference "${text.slice(dollar)}": expected "}" after it; write "$$" for a literal "$"` };
    }
    const resolved = resolveReference(text.slice(dollar + 2, close), options, secrets);
    if (!resolved.ok) return resolved;
    out += resolved.value;
    index = close + 1;
  }
  return { ok: true, value: out };
}

function resolveReference(expression: string, options: InterpolationOptions, secrets: string[]): Interpolated {
  if (expression.startsWith('file:')) return readSecretFile(expression.slice('file:'.length), options.baseDir, secrets);

  const separator = expression.indexOf(':-');
  const name = separator === -1 ? expression : expression.slice(0, separator);
  if (!VARIABLE_NAME.test(name)) {
    return {
      ok: false,
      message: `invalid reference "\${${expression}}": expected \${NAME}, \${NAME:-default} or \${file:/path/to/secret}, where NAME is letters, digits and "_"`,
    };
  }

  const value = options.env[name];
  if (separator !== -1) {
    // As in POSIX shells, `:-` also applies when the variable is set but empty.
    return { ok: true, value: value === undefined || value === '' ? expression.slice(separator + 2) : keep(value, name, secrets) };
  }
  if (value === undefined) {
    return { ok: false, message: `environment variable "${name}" is not set; set it, or give a default with \${${name}:-default}` };
  }
  return { ok: true, value: keep(value, name, secrets) };
}

function keep(value: string, name: string, secrets: string[]): string {
  if (SECRET_NAME.test(name) && value.length >= MIN_SECRET_LENGTH) secrets.push(value);
  return value;
}

function readSecretFile(path: string, baseDir: string, secrets: string[]): Interpolated {
  if (path === '') return { ok: false, message: 'empty secret file path in "${file:}": expected ${file:/path/to/secret}' };

  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unknown error';
    return { ok: false, message: `cannot read secret file "${file}" (${code}); check that it exists and is readable by this user` };
  }

  // Secret files usually end with one newline that is not part of the secret.
  const value = content.replace(/\r?\n$/, '');
  if (value.length >= MIN_SECRET_LENGTH) secrets.push(value);
  return { ok: true, value };
}
