export {
  startExporter,
  startExporterWithShutdown,
  type ExporterHandle,
  type ExporterListen,
  type ExporterOptions,
} from './exporter.js';
export { gatherText } from './exposition.js';
export { instrumentScheduler, type InstrumentOptions, type Uninstrument } from './instrument.js';
export {
  DEFAULT_DURATION_BUCKETS,
  ERROR_STAGES,
  METRIC_NAMES,
  RUN_OUTCOMES,
  pipelineMetrics,
  type PipelineMetrics,
} from './pipeline-metrics.js';
