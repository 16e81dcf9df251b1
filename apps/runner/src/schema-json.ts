import { pluginJsonSchema, type PluginDefinition } from '@deltav/core';
import { z } from 'zod';
import { configSchema } from './config/schema.js';
import { BUILT_INS } from './plugins.js';

type JsonSchema = Record<string, unknown>;

/** Plugins by kind and by the `use:` value that names them. */
export type PluginSet = Record<'source' | 'destination', Record<string, PluginDefinition>>;

/**
 * Renders the config's JSON Schema (draft 2020-12) for editors. Durations, sizes and
 * addresses appear as the strings written in the file. Under `source` and `destination`,
 * an `if`/`then` per built-in plugin, and per plugin in `extra`, describes its `with:`
 * options. Other packages keep a free-form `with:`, because their schemas are known only
 * once they are installed.
 */
export function configJsonSchema(extra: PluginSet = { source: {}, destination: {} }): JsonSchema {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  schema.title = 'deltav runner config';
  dropCustomFormats(schema);

  const pipeline = (schema.properties as Record<string, JsonSchema>).pipelines!.items as JsonSchema;
  const properties = pipeline.properties as Record<string, JsonSchema>;
  for (const kind of ['source', 'destination'] as const) {
    const rules = Object.entries({ ...BUILT_INS[kind], ...extra[kind] }).flatMap(([alias, definition]) => {
      const options = optionsJsonSchema(definition);
      if (options === undefined) return [];
      return [{ if: { properties: { use: { const: alias } }, required: ['use'] }, then: { properties: { with: options } } }];
    });
    if (rules.length > 0) properties[kind] = { ...properties[kind], allOf: rules };
  }
  return schema;
}

/**
 * Renders a plugin's options as JSON Schema through the plugin's own renderer or its schema
 * library, or returns `undefined` when the plugin offers neither or its schema cannot be rendered.
 */
function optionsJsonSchema(definition: PluginDefinition): JsonSchema | undefined {
  let rendered: JsonSchema | undefined;
  try {
    rendered = pluginJsonSchema(definition);
  } catch {
    // A schema with parts JSON Schema cannot express leaves `with:` free-form rather than failing the command.
    return undefined;
  }
  if (rendered === undefined) return undefined;
  const copy = structuredClone(rendered);
  delete copy.$schema;
  dropCustomFormats(copy);
  return copy;
}

/** Formats that JSON Schema defines; zod also emits its own (such as `starts_with`), which validators reject. */
const STANDARD_FORMATS = new Set(['date-time', 'date', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid', 'regex']);

function dropCustomFormats(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (typeof record.format === 'string' && !STANDARD_FORMATS.has(record.format)) delete record.format;
  for (const value of Object.values(record)) dropCustomFormats(value);
}
