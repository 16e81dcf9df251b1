export { FileErrorCodes } from './errors.js';
export { FileDestination } from './file-destination.js';
export { fileDestinationOptionsSchema, type FileDestinationOptions } from './options.js';
export { fileDestination } from './plugin.js';
