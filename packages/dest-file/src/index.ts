export { FileErrorCodes } from './errors.js';
export { FileDestination } from './file-destination.js';
export {
  fileDestinationOptionsSchema,
  type FileDestinationOptions,
  type FileWriteMode,
  type FsyncPolicy,
  type RotationOptions,
} from './options.js';
export { fileDestination } from './plugin.js';
