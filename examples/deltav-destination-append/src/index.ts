export { AppendFileDestination } from './append-file-destination.js';
export { appendFileDestinationOptionsSchema, type AppendFileDestinationOptions } from './options.js';
export { appendFileDestination } from './plugin.js';
