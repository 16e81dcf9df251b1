export type { Destination, RunContext, Source } from './contracts.js';
export {
  DeltavError,
  ErrorCodes,
  errorCodeOf,
  isDeltavError,
  isRetryable,
  markRetryable,
  retryAfterOf,
  type DeltavErrorOptions,
} from './errors.js';
export type {
  AttemptFailedEvent,
  IsolatedErrorEvent,
  PipelineEvent,
  PluginEvent,
  RunFinishedEvent,
  RunOutcome,
  RunSkippedEvent,
  RunStage,
  RunStartedEvent,
  SchedulerEventName,
  SchedulerEvents,
} from './events.js';
export { silentLogger, type LogFn, type Logger } from './logger.js';
export { createPayload, type Payload, type PayloadBody, type PayloadInit, type PayloadMetadata, type SpoolOptions } from './payload.js';
export { FileStateStore, fileStateStores } from './file-state.js';
export { Pipeline, type OverrunPolicy, type PipelineOptions, type ShutdownHook } from './pipeline.js';
export {
  PLUGIN_CONTRACT_VERSION,
  assertCompatiblePlugin,
  defineDestination,
  defineSource,
  isPluginDefinition,
  pluginJsonSchema,
  validatePluginOptions,
  type DestinationDefinition,
  type JsonSchemaRenderer,
  type JsonSchemaTarget,
  type PluginDefinition,
  type PluginInput,
  type PluginOptionIssue,
  type PluginOptions,
  type PluginSpec,
  type SourceDefinition,
} from './plugin.js';
export { abortable, jsonPayload, sleep } from './plugin-helpers.js';
export { DEFAULT_RETRY, nextRetryDelay, type RetryOptions, type RetryPolicy } from './retry.js';
export { CronSchedule, IntervalSchedule, type Schedule } from './schedule.js';
export { Scheduler, type SchedulerOptions, type ShutdownTrigger } from './scheduler.js';
export { MemoryStateStore, memoryStateStores, type StateStore, type StateStoreFactory } from './state.js';
