import { defineDestination } from '@deltav/core';
import { FileDestination } from './file-destination.js';
import { fileDestinationOptionsSchema } from './options.js';

/** The plugin definition the runner loads for `use: file`. */
export const fileDestination = defineDestination({
  name: 'file',
  schema: fileDestinationOptionsSchema,
  create: (options) => new FileDestination(options),
});
