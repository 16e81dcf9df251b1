export { buildPipelines, DEFAULT_INTERVAL_MS } from './build.js';
export { parseDuration } from './config/duration.js';
export { formatIssue, type ConfigIssue } from './config/issues.js';
export { parseListen, type ListenAddress } from './config/listen.js';
export { loadConfigFile, parseConfig, type LoadResult } from './config/load.js';
export { configSchema, type Config, type PipelineConfig, type PluginReference } from './config/schema.js';
export { loadPlugin, PluginLoadError, type PluginKind } from './plugins.js';
