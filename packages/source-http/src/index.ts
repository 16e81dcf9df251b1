export { HttpErrorCodes, HttpStatusError } from './errors.js';
export { HttpSource, type HttpRequestEvent } from './http-source.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_SECRET_QUERY_PARAMS,
  httpSourceOptionsSchema,
  type HttpAuthOptions,
  type HttpBasicAuthOptions,
  type HttpBearerAuthOptions,
  type HttpMethod,
  type HttpQueryValue,
  type HttpSourceOptions,
  type HttpStatusPattern,
  type HttpTlsOptions,
} from './options.js';
export { httpSource } from './plugin.js';
export { parseRetryAfter } from './retry-after.js';
export { VALIDATORS_STATE_KEY } from './validators.js';
export { USER_AGENT, VERSION } from './version.js';
