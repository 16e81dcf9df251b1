export { BCRYPT_HASH } from './basic-auth.js';
export { registerDefaultMetrics, type DefaultMetricsOptions } from './default-metrics.js';
export { ERROR_KINDS, errorKind, type ErrorKind } from './error-kind.js';
export {
  startExporter,
  startExporterWithShutdown,
  type ExporterHandle,
  type ExporterListen,
  type ExporterOptions,
  type ExporterTlsOptions,
  type ReadinessSource,
} from './exporter.js';
export { CONTENT_TYPES, gatherText, type ExpositionFormat } from './exposition.js';
export { instrumentScheduler, type InstrumentedScheduler, type InstrumentOptions, type Uninstrument } from './instrument.js';
export {
  DEFAULT_BUCKETS,
  DEFAULT_DURATION_BUCKETS,
  ERROR_STAGES,
  METRIC_NAMES,
  RUN_OUTCOMES,
  SKIP_REASONS,
  STATUS_CLASSES,
  pipelineMetrics,
  type AnyRegistry,
  type MetricBuckets,
  type PipelineMetrics,
} from './pipeline-metrics.js';
export { PACKAGE_VERSION } from './version.js';
