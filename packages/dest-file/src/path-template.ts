import { DeltavError } from '@deltav/core';
import { FileErrorCodes } from './errors.js';
import { zonedTime, type ZonedTime } from './time-fields.js';

/** Values that fill a path template for one write. */
export interface TemplateValues {
  pipeline: string;
  runId: string;
  /** The instant whose calendar fields fill `%Y`, `%m` and the other time fields. */
  time: Date;
}

type Token = { kind: 'text'; text: string } | { kind: 'value'; name: 'pipeline' | 'runId' } | { kind: 'time'; field: string };

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** strftime-style fields that a path may contain, all made of digits, `+` and `-` only. */
const TIME_FIELDS: Record<string, (time: ZonedTime, instant: Date) => string> = {
  Y: (t) => pad(t.year, 4),
  y: (t) => pad(t.year % 100, 2),
  m: (t) => pad(t.month, 2),
  d: (t) => pad(t.day, 2),
  H: (t) => pad(t.hour, 2),
  M: (t) => pad(t.minute, 2),
  S: (t) => pad(t.second, 2),
  L: (t) => pad(t.millisecond, 3),
  j: (t) => pad(t.dayOfYear, 3),
  F: (t) => `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}`,
  z: (t) => `${t.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(t.offsetMinutes) / 60), 2)}${pad(Math.abs(t.offsetMinutes) % 60, 2)}`,
  s: (_t, instant) => String(Math.floor(instant.getTime() / 1000)),
};

const SUPPORTED = `{pipeline}, {runId}, %${Object.keys(TIME_FIELDS).join(', %')} and %%`;

/**
 * A file path with placeholders: `{pipeline}`, `{runId}` and strftime-style time fields
 * (`%Y-%m-%d`, `%H`, ...), rendered in UTC or a named IANA time zone.
 */
export class PathTemplate {
  readonly source: string;
  readonly #tokens: Token[];
  readonly #timeZone: string;

  constructor(source: string, timeZone: string) {
    this.source = source;
    this.#timeZone = timeZone;
    this.#tokens = parse(source);
  }

  /** Whether rendering can give different paths for different runs. */
  get isDynamic(): boolean {
    return this.#tokens.some((token) => token.kind !== 'text');
  }

  render(values: TemplateValues): string {
    let zoned: ZonedTime | undefined;
    let out = '';
    for (const token of this.#tokens) {
      if (token.kind === 'text') {
        out += token.text;
      } else if (token.kind === 'value') {
        out += toPathSegment(values[token.name]);
      } else {
        zoned ??= zonedTime(values.time, this.#timeZone);
        out += TIME_FIELDS[token.field]!(zoned, values.time);
      }
    }
    return out;
  }
}

/**
 * Makes a pipeline name or run id safe inside one path segment. Characters other than
 * letters, digits, `.`, `_` and `-` become `_`, and a value of only dots becomes
 * underscores, so a value can never add a folder level or climb out with `..`.
 */
export function toPathSegment(value: string): string {
  const safe = value.replace(/[^A-Za-z0-9._-]/g, '_');
  if (safe === '' || /^\.+$/.test(safe)) return '_'.repeat(Math.max(1, safe.length));
  return safe;
}

function parse(source: string): Token[] {
  const tokens: Token[] = [];
  let text = '';
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '%') {
      const field = source[index + 1];
      if (field === '%') {
        text += '%';
      } else if (field !== undefined && field in TIME_FIELDS) {
        pushText(tokens, text);
        text = '';
        tokens.push({ kind: 'time', field });
      } else {
        throw invalidTemplate(source, `unknown time field "%${field ?? ''}" at position ${index}`);
      }
      index += 2;
      continue;
    }
    if (char === '{') {
      const end = source.indexOf('}', index);
      const name = end === -1 ? undefined : source.slice(index + 1, end);
      if (name !== 'pipeline' && name !== 'runId') {
        throw invalidTemplate(source, `unknown placeholder "${end === -1 ? source.slice(index) : `{${name}}`}" at position ${index}`);
      }
      pushText(tokens, text);
      text = '';
      tokens.push({ kind: 'value', name });
      index = end + 1;
      continue;
    }
    text += char;
    index++;
  }
  pushText(tokens, text);
  return tokens;
}

function pushText(tokens: Token[], text: string): void {
  if (text !== '') tokens.push({ kind: 'text', text });
}

function invalidTemplate(source: string, problem: string): DeltavError {
  return new DeltavError(
    FileErrorCodes.INVALID_OPTION,
    `FileDestination: invalid path "${source}": ${problem}. Supported placeholders: ${SUPPORTED}; write %% for a literal percent sign.`,
  );
}
