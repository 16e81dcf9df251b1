import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSource, pluginJsonSchema } from '../src/index.js';

const create = () => ({ fetch: async () => null });

/** A schema library without JSON Schema support: validation only. */
const plainSchema: StandardSchemaV1<{ path: string }> = {
  '~standard': {
    version: 1,
    vendor: 'plain',
    validate: (value) => ({ value: value as { path: string } }),
  },
};

describe('pluginJsonSchema', () => {
  it('renders a zod schema as input JSON Schema', () => {
    const definition = defineSource({ name: 'zodded', schema: z.strictObject({ url: z.string(), retries: z.number().default(3) }), create });

    expect(pluginJsonSchema(definition)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { url: { type: 'string' }, retries: { type: 'number', default: 3 } },
      required: ['url'],
      additionalProperties: false,
    });
  });

  it('passes the target dialect on', () => {
    const definition = defineSource({ name: 'zodded', schema: z.strictObject({ url: z.string() }), create });

    expect(pluginJsonSchema(definition, 'draft-07')?.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('prefers the definition renderer', () => {
    const targets: string[] = [];
    const definition = defineSource({
      name: 'plain',
      schema: plainSchema,
      jsonSchema: (target) => {
        targets.push(target);
        return { type: 'object', properties: { path: { type: 'string' } } };
      },
      create,
    });

    expect(pluginJsonSchema(definition, 'draft-07')).toEqual({ type: 'object', properties: { path: { type: 'string' } } });
    expect(targets).toEqual(['draft-07']);
  });

  it('returns undefined without a converter', () => {
    expect(pluginJsonSchema(defineSource({ name: 'plain', schema: plainSchema, create }))).toBeUndefined();
    expect(pluginJsonSchema(defineSource({ name: 'bare', create }))).toBeUndefined();
  });
});
