import { Scheduler, type RunFinishedEvent } from '@deltav/core';
import { instrumentScheduler, startExporter, type ExporterHandle, type ExporterOptions, type InstrumentOptions } from '@deltav/metrics';
import { Registry } from 'prom-client';
import { logPipelines } from '../build.js';
import type { Config } from '../config/schema.js';
import { createLogger, type LogFormat, type LogLevel } from '../logger.js';
import { VERSION } from '../version.js';
import { EXIT_CONFIG, prepare, reportIssues } from './prepare.js';

export interface RunCommandOptions {
  config: string;
  once: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

/** Exit statuses after a second signal: 128 plus the signal number, as shells report it. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Runs the pipelines of a config until a signal, or once with `--once`; returns the exit status. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const prepared = await prepare(options.config);
  if (!prepared.ok) {
    reportIssues(options.config, prepared.issues);
    return EXIT_CONFIG;
  }

  const { config, pipelines } = prepared;
  const logger = createLogger(options.logLevel, options.logFormat);
  const scheduler = new Scheduler({ logger, ...(config.defaults?.shutdownTimeout === undefined ? {} : { shutdownTimeoutMs: config.defaults.shutdownTimeout }) });
  for (const pipeline of pipelines) scheduler.addPipeline(pipeline);
  logPipelines(logger, pipelines);

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
    const results = await Promise.all(pipelines.map((pipeline) => scheduler.runNow(pipeline.name)));
    await scheduler.stop();
    await exporter?.shutdown();
    printSummary(results);
    return results.every((result) => result.outcome !== 'failure') ? 0 : 1;
  }

  const signalled = waitForSignal((signal) => {
    logger.warn({ signal }, 'second signal received; exiting without waiting for runs');
    process.exit(SIGNAL_EXIT[signal] ?? 1);
  });
  signalled.then((signal) => logger.info({ signal }, 'shutting down gracefully'), () => {});
  await scheduler.startWithShutdown(signalled);
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

/** Resolves on the first SIGINT or SIGTERM; a second one calls `onSecond`. */
function waitForSignal(onSecond: (signal: NodeJS.Signals) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals) => {
      if (received) {
        onSecond(signal);
        return;
      }
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

function printSummary(results: readonly RunFinishedEvent[]): void {
  const width = Math.max(8, ...results.map((result) => result.pipeline.length));
  const lines = [`${'pipeline'.padEnd(width)}  outcome    duration  bytes`];
  for (const result of results) {
    const duration = `${result.durationMs.toFixed(0)} ms`.padStart(8);
    const error = result.error === undefined ? '' : `  ${result.stage} error: ${result.error.message}`;
    lines.push(`${result.pipeline.padEnd(width)}  ${result.outcome.padEnd(9)}  ${duration}  ${result.bytes}${error}`);
  }
  const failed = results.filter((result) => result.outcome === 'failure').length;
  lines.push(failed === 0 ? `all ${results.length} pipelines succeeded` : `${failed} of ${results.length} pipelines failed`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
