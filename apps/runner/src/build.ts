import { Pipeline, validatePluginOptions, type Destination, type Logger, type Source } from '@deltav/core';
import { dirname, resolve } from 'node:path';
import type { ConfigIssue, PathSegment } from './config/issues.js';
import { formatPath } from './config/issues.js';
import type { Config, PluginReference } from './config/schema.js';
import { loadPlugin, type PluginKind } from './plugins.js';

/** Default time between runs when neither the pipeline nor `defaults` sets one: one minute. */
export const DEFAULT_INTERVAL_MS = 60_000;

export interface BuildResult {
  pipelines: Pipeline[];
  issues: ConfigIssue[];
}

/**
 * Loads every plugin, validates its options with the plugin's own schema and builds the
 * pipelines. Every problem is collected; no pipeline is built when any is found.
 */
export async function buildPipelines(
  config: Config,
  configFile: string,
  locate: (path: readonly PathSegment[]) => { line: number; column: number } | undefined,
  { create = true }: { create?: boolean } = {},
): Promise<BuildResult> {
  const configDir = dirname(resolve(configFile));
  const issues: ConfigIssue[] = [];
  const parts: Array<{ source: () => Source; destination: () => Destination }> = [];

  for (const [index, entry] of config.pipelines.entries()) {
    const source = await preparePlugin(entry.source, 'source', ['pipelines', index, 'source'], configDir, locate, issues);
    const destination = await preparePlugin(entry.destination, 'destination', ['pipelines', index, 'destination'], configDir, locate, issues);
    if (source !== undefined && destination !== undefined) {
      parts.push({ source: source as () => Source, destination: destination as () => Destination });
    }
  }
  if (issues.length > 0 || !create) return { pipelines: [], issues };

  const pipelines = config.pipelines.map((entry, index) => {
    const pipeline = new Pipeline(parts[index]!.source(), parts[index]!.destination(), {
      name: entry.name,
      intervalMs: entry.interval ?? config.defaults?.interval ?? DEFAULT_INTERVAL_MS,
    });
    const timeout = entry.timeout ?? config.defaults?.timeout;
    if (timeout !== undefined) pipeline.setTimeout(timeout);
    if (entry.debugPayload !== undefined) pipeline.enableDebugPayload(entry.debugPayload);
    return pipeline;
  });
  return { pipelines, issues };
}

async function preparePlugin(
  reference: PluginReference,
  kind: PluginKind,
  path: PathSegment[],
  configDir: string,
  locate: (path: readonly PathSegment[]) => { line: number; column: number } | undefined,
  issues: ConfigIssue[],
): Promise<(() => unknown) | undefined> {
  let definition;
  try {
    definition = await loadPlugin(reference.use, kind, configDir);
  } catch (error) {
    issues.push({ path: formatPath([...path, 'use']), message: (error as Error).message, ...locate([...path, 'use']) });
    return undefined;
  }

  const options = reference.with ?? {};
  const validated = await validatePluginOptions(definition, options);
  if (validated.issues !== undefined) {
    for (const issue of validated.issues) {
      const segments = issue.path;
      issues.push({
        path: formatPath([...path, 'with', ...segments]),
        message: issue.message,
        ...locate([...path, 'with', ...segments]),
      });
    }
    return undefined;
  }
  return () => (definition.create as (options: unknown) => unknown)(validated.value);
}

/** Logs how the built pipelines are scheduled. */
export function logPipelines(logger: Logger, pipelines: Pipeline[]): void {
  for (const pipeline of pipelines) {
    logger.info({ pipeline: pipeline.name, intervalMs: pipeline.intervalMs, timeoutMs: pipeline.timeoutMs }, 'pipeline configured');
  }
}
