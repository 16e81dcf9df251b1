import { defineDestination } from '@deltav/core';
import { AppendFileDestination } from './append-file-destination.js';
import { appendFileDestinationOptionsSchema } from './options.js';

/** The definition the deltav runner loads for `use: deltav-destination-append`. */
export const appendFileDestination = defineDestination({
  name: 'append-file',
  schema: appendFileDestinationOptionsSchema,
  create: (options) => new AppendFileDestination(options),
});
