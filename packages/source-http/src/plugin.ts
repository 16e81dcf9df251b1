import { defineSource, type JsonSchemaTarget } from '@deltav/core';
import { z } from 'zod';
import { HttpSource } from './http-source.js';
import { httpSourceOptionsSchema } from './options.js';

/** The plugin definition the runner loads for `use: http`. */
export const httpSource = defineSource({
  name: 'http',
  schema: httpSourceOptionsSchema,
  // A byte-array body has no JSON Schema form; config files can only give text, so it renders as any value.
  jsonSchema: (target: JsonSchemaTarget) =>
    z.toJSONSchema(httpSourceOptionsSchema, { target, io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
  create: (options) => new HttpSource(options),
});
