import { defineSource } from '@deltav/core';
import { CounterSource } from './counter-source.js';
import { counterSourceOptionsSchema } from './options.js';

/** The definition the deltav runner loads for `use: deltav-source-counter`. */
export const counterSource = defineSource({
  name: 'counter',
  schema: counterSourceOptionsSchema,
  create: (options) => new CounterSource(options),
});
