import { fileStateStores, Scheduler, type RunFinishedEvent, type SchedulerOptions } from '@deltav/core';
import { instrumentScheduler, startExporter, type ExporterHandle, type ExporterOptions, type InstrumentOptions } from '@deltav/metrics';
import type { Logger as PinoLogger } from 'pino';
import { Registry } from 'prom-client';
import { stringify } from 'safe-stable-stringify';
import { logPipelines, type PipelineSpec } from '../build.js';
import type { Config } from '../config/schema.js';
import { createLogger, type LogFormat, type LogLevel } from '../logger.js';
import { scrubSecrets } from '../secrets.js';
import { VERSION } from '../version.js';
import { EXIT_CONFIG, prepare, reportIssues } from './prepare.js';
import { applyReload, planReload } from './reload.js';
import { onShutdownSignals } from './signals.js';

export interface RunCommandOptions {
  config: string;
  once: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Folder for pipeline state files; in memory when absent. */
  dataDir?: string | undefined;
  /** Overrides `defaults.shutdownTimeout`, in milliseconds. */
  shutdownTimeoutMs?: number | undefined;
}

/** Runs the pipelines of a config until a signal, or once with `--once`; returns the exit status. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const prepared = await prepare(options.config);
  if (!prepared.ok) {
    reportIssues(options.config, prepared.issues, prepared.secrets);
    return EXIT_CONFIG;
  }

  let { config, secrets } = prepared;
  const logger = createLogger(options.logLevel, options.logFormat, () => secrets);
  const scheduler = new Scheduler(schedulerOptions(config, options, logger));
  const running = new Map<string, PipelineSpec>();
  try {
    for (const spec of prepared.specs) {
      scheduler.addPipeline(spec.create());
      running.set(spec.name, spec);
    }
  } catch (error) {
    logger.error({ err: error }, 'failed to create a pipeline from its plugin options');
    return 1;
  }
  logPipelines(logger, scheduler.pipelines);

  const registry = new Registry();
  instrumentScheduler(scheduler, instrumentOptions(config, registry));
  let exporter: ExporterHandle | undefined;
  try {
    exporter = await startMetrics(config, registry, scheduler);
  } catch (error) {
    logger.error({ err: error }, 'failed to start the metrics exporter; check the metrics section of the config');
    await scheduler.stop();
    return 1;
  }
  if (exporter !== undefined) logger.info({ url: exporter.url }, 'metrics exporter listening');

  if (options.once) {
    const stopSignals = onShutdownSignals(logger, () => void scheduler.stop());
    const ignoreReload = () => logger.warn({}, 'SIGHUP ignored: there is nothing to reload with --once');
    process.on('SIGHUP', ignoreReload);
    const results = await Promise.all([...running.keys()].map((name) => scheduler.runNow(name)));
    await scheduler.stop();
    await exporter?.shutdown();
    stopSignals();
    process.off('SIGHUP', ignoreReload);
    process.stdout.write(scrubSecrets(formatSummary(results), secrets));
    return results.every((result) => result.outcome !== 'failure') ? 0 : 1;
  }

  const shutdown = new Promise<void>((resolve) => onShutdownSignals(logger, resolve));
  let reloading = Promise.resolve();
  process.on('SIGHUP', () => {
    if (scheduler.state !== 'running') return;
    reloading = reloading.then(async () => {
      const next = await reload(options.config, config, scheduler, running, logger);
      if (next !== undefined) ({ config, secrets } = next);
    });
  });

  await scheduler.startWithShutdown(shutdown);
  await reloading;
  await exporter?.shutdown();
  logger.info({}, 'shutdown complete');
  return 0;
}

function instrumentOptions(config: Config, registry: Registry): InstrumentOptions {
  const options: InstrumentOptions = { registry, buildVersion: VERSION };
  if (config.metrics?.defaultMetrics !== undefined) options.defaultMetrics = config.metrics.defaultMetrics;
  if (config.metrics?.buckets !== undefined) options.buckets = config.metrics.buckets;
  return options;
}

function schedulerOptions(config: Config, options: RunCommandOptions, logger: PinoLogger): SchedulerOptions {
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? config.defaults?.shutdownTimeout;
  const hookTimeoutMs = config.defaults?.hookTimeout;
  return {
    logger,
    ...(shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs }),
    ...(hookTimeoutMs === undefined ? {} : { hookTimeoutMs }),
    ...(options.dataDir === undefined ? {} : { stateStores: fileStateStores(options.dataDir) }),
  };
}

/**
 * Re-reads the config on SIGHUP. An invalid config is logged and ignored, so the running
 * pipelines go on; a valid one is applied pipeline by pipeline.
 */
async function reload(
  configFile: string,
  previous: Config,
  scheduler: Scheduler,
  running: Map<string, PipelineSpec>,
  logger: PinoLogger,
): Promise<{ config: Config; secrets: string[] } | undefined> {
  logger.info({ config: configFile }, 'reloading the config');
  const prepared = await prepare(configFile);
  if (!prepared.ok) {
    const problems = prepared.issues.map((issue) => ({ path: issue.path, line: issue.line, column: issue.column, message: scrubSecrets(issue.message, prepared.secrets) }));
    logger.error({ config: configFile, problems }, 'config reload rejected; the previous config keeps running');
    return undefined;
  }

  for (const [key, before, after] of [
    ['metrics', previous.metrics, prepared.config.metrics],
    ['defaults.shutdownTimeout', previous.defaults?.shutdownTimeout, prepared.config.defaults?.shutdownTimeout],
    ['defaults.hookTimeout', previous.defaults?.hookTimeout, prepared.config.defaults?.hookTimeout],
  ] as const) {
    if (stringify(before) !== stringify(after)) logger.warn({ key }, 'this setting changed, but takes effect only after a restart');
  }

  const plan = planReload(running, prepared.specs);
  await applyReload(scheduler, running, plan, logger);
  logger.info(
    { added: plan.added.map((spec) => spec.name), removed: plan.removed, changed: plan.changed.map((spec) => spec.name), unchanged: plan.unchanged },
    'config reloaded',
  );
  return { config: prepared.config, secrets: prepared.secrets };
}

async function startMetrics(config: Config, registry: Registry, scheduler: Scheduler): Promise<ExporterHandle | undefined> {
  if (config.metrics === undefined) return undefined;

  const { listen, path, tls, basicAuthUsers, maxConcurrentScrapes, headersTimeout, requestTimeout } = config.metrics;
  const options: ExporterOptions = { host: listen.host, port: listen.port, registry, readiness: scheduler };
  if (path !== undefined) options.path = path;
  if (tls !== undefined) options.tls = tls;
  if (basicAuthUsers !== undefined) options.basicAuthUsers = basicAuthUsers;
  if (maxConcurrentScrapes !== undefined) options.maxConcurrentScrapes = maxConcurrentScrapes;
  if (headersTimeout !== undefined) options.headersTimeoutMs = headersTimeout;
  if (requestTimeout !== undefined) options.requestTimeoutMs = requestTimeout;
  // A request timeout below the default headers timeout lowers that one too, so both stay valid.
  if (requestTimeout !== undefined && headersTimeout === undefined && requestTimeout < 10_000) options.headersTimeoutMs = requestTimeout;
  return startExporter(options);
}

/** Formats one line per pipeline with outcome, duration and bytes, then a total line. */
function formatSummary(results: readonly RunFinishedEvent[]): string {
  const width = Math.max(8, ...results.map((result) => result.pipeline.length));
  const lines = [`${'pipeline'.padEnd(width)}  outcome    duration  bytes`];
  for (const result of results) {
    const duration = `${result.durationMs.toFixed(0)} ms`.padStart(8);
    const error = result.error === undefined ? '' : `  ${result.stage} error: ${result.error.message}`;
    lines.push(`${result.pipeline.padEnd(width)}  ${result.outcome.padEnd(9)}  ${duration}  ${result.bytes}${error}`);
  }
  const failed = results.filter((result) => result.outcome === 'failure').length;
  const total = results.length === 1 ? '1 pipeline' : `${results.length} pipelines`;
  if (failed > 0) {
    lines.push(`${failed} of ${total} failed`);
  } else if (results.length === 1) {
    lines.push('the pipeline succeeded');
  } else {
    lines.push(`all ${total} succeeded`);
  }
  return `${lines.join('\n')}\n`;
}
