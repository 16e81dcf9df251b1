export { HttpErrorCodes } from './errors.js';
export { HttpSource } from './http-source.js';
export { DEFAULT_MAX_BODY_BYTES, httpSourceOptionsSchema, type HttpSourceOptions } from './options.js';
export { httpSource } from './plugin.js';
export { USER_AGENT, VERSION } from './version.js';
