import { defineSource } from '@deltav/core';
import { HttpSource } from './http-source.js';
import { httpSourceOptionsSchema } from './options.js';

/** The plugin definition the runner loads for `use: http`. */
export const httpSource = defineSource({
  name: 'http',
  schema: httpSourceOptionsSchema,
  create: (options) => new HttpSource(options),
});
