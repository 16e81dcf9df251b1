import { Pipeline, pluginJsonSchema, type Destination, type Logger, type PluginDefinition, type Source } from '@deltav/core';
import { dirname, resolve } from 'node:path';
import { stringify } from 'safe-stable-stringify';
import type { ConfigIssue, PathSegment } from './config/issues.js';
import { formatPath } from './config/issues.js';
import type { LoadResult, Locator } from './config/load.js';
import { resolveSettings, type ResolvedSettings } from './config/resolve.js';
import type { Config, PipelineConfig } from './config/schema.js';
import { knownKeysAt, unknownKeyMessage } from './config/suggest.js';
import { limitPayloadSize } from './payload-limit.js';
import { checkWritablePath } from './paths.js';
import { loadPlugin, type PluginKind } from './plugins.js';

export { DEFAULT_INTERVAL_MS } from './config/resolve.js';

/** A pipeline that passed every check, ready to be created. */
export interface PipelineSpec {
  name: string;
  /** Normalized settings and plugin options as canonical JSON; equal fingerprints mean an unchanged pipeline. */
  fingerprint: string;
  settings: ResolvedSettings;
  create(): Pipeline;
}

export interface BuildResult {
  specs: PipelineSpec[];
  issues: ConfigIssue[];
}

/** A plugin loaded and its options validated. */
interface PreparedPlugin {
  definition: PluginDefinition;
  options: unknown;
}

type RawEntry = Record<string, unknown>;

/** Stands in for plugins while the pipeline settings are checked. */
const placeholderSource: Source = { fetch: async () => undefined };
const placeholderDestination: Destination = { write: async () => {} };

/**
 * Runs every check that needs no run: plugin resolution and plugin options (even when the
 * runner's own schema failed, so all problems surface together), pipeline settings
 * through core's own validation, and the writability of built-in file destinations.
 * Returns the pipelines only when no problem was found.
 */
export async function buildPipelines(loaded: LoadResult, configFile: string): Promise<BuildResult> {
  const configDir = dirname(resolve(configFile));
  const issues: ConfigIssue[] = [...loaded.issues];
  const entries = rawPipelines(loaded.raw);
  const plugins: Array<{ source?: PreparedPlugin; destination?: PreparedPlugin }> = [];

  for (const [index, entry] of entries.entries()) {
    const prepared: { source?: PreparedPlugin; destination?: PreparedPlugin } = {};
    for (const kind of ['source', 'destination'] as const) {
      const plugin = await preparePlugin(entry?.[kind], kind, ['pipelines', index, kind], configDir, loaded, issues);
      if (plugin !== undefined) prepared[kind] = plugin;
    }
    plugins.push(prepared);
    if (entry !== undefined) issues.push(...(await checkFileDestination(entry, index, loaded.locate)));
  }

  const config = loaded.config;
  if (config === undefined) return { specs: [], issues };

  const settings = config.pipelines.map((entry, index) => {
    const resolved = resolveSettings(config, entry);
    issues.push(...checkSettings(config, entry, index, resolved, loaded.locate));
    return resolved;
  });
  if (issues.length > 0) return { specs: [], issues };

  const specs = config.pipelines.map((entry, index) => toSpec(entry, settings[index]!, plugins[index]!, entries[index]!));
  return { specs, issues };
}

function rawPipelines(raw: unknown): Array<RawEntry | undefined> {
  const pipelines = (raw as { pipelines?: unknown } | null | undefined)?.pipelines;
  if (!Array.isArray(pipelines)) return [];
  return pipelines.map((entry: unknown) => (isRecord(entry) ? entry : undefined));
}

async function preparePlugin(
  reference: unknown,
  kind: PluginKind,
  path: PathSegment[],
  configDir: string,
  loaded: LoadResult,
  issues: ConfigIssue[],
): Promise<PreparedPlugin | undefined> {
  // A reference that is not even shaped right is already reported by the schema.
  if (!isRecord(reference) || typeof reference.use !== 'string' || reference.use === '') return undefined;
  if (reference.with !== undefined && !isRecord(reference.with)) return undefined;
  if (loaded.failed.has(formatPath([...path, 'use']))) return undefined;

  let definition: PluginDefinition;
  try {
    definition = await loadPlugin(reference.use, kind, configDir);
  } catch (error) {
    issues.push({ path: formatPath([...path, 'use']), message: (error as Error).message, ...loaded.locate([...path, 'use']) });
    return undefined;
  }

  const validated = await validateOptions(definition, reference.with ?? {});
  if (validated.issues === undefined) return { definition, options: validated.value };

  for (const issue of validated.issues) {
    const segments = [...path, 'with', ...issue.path];
    if (loaded.failed.has(formatPath(segments))) continue;
    if (issue.keys !== undefined) {
      const known = knownKeysAt(optionsSchemaOf(definition), issue.path);
      for (const key of issue.keys) {
        issues.push({ path: formatPath([...segments, key]), message: unknownKeyMessage(key, known, 'option'), ...loaded.locate(segments, key) });
      }
      continue;
    }
    // Zod reports a missing option as received undefined, so it is reworded as runner keys are.
    const missing = /^Invalid input: expected (.+), received undefined$/.exec(issue.message);
    const message = missing === null ? issue.message : `missing required option: expected ${missing[1]}`;
    issues.push({ path: formatPath(segments), message, ...(loaded.locate(segments) ?? loaded.locate([...path, 'with'])) });
  }
  return undefined;
}

/** Renders a plugin's options as JSON Schema for key suggestions, or returns `undefined` when it cannot. */
function optionsSchemaOf(definition: PluginDefinition): Record<string, unknown> | undefined {
  try {
    return pluginJsonSchema(definition);
  } catch {
    return undefined;
  }
}

/**
 * Validates plugin options through the Standard Schema interface. Zod reports unknown keys
 * as one issue with a `keys` list; it is kept, so each key can be reported where it is.
 */
async function validateOptions(
  definition: PluginDefinition,
  options: unknown,
): Promise<{ value: unknown; issues?: undefined } | { issues: Array<{ path: PathSegment[]; message: string; keys?: string[] }> }> {
  const schema = definition.schema;
  if (schema === undefined) return { value: options };

  const result = await schema['~standard'].validate(options);
  if (result.issues === undefined) return { value: result.value };
  return {
    issues: result.issues.map((issue) => {
      const path = (issue.path ?? []).map((segment) => {
        const key = typeof segment === 'object' ? segment.key : segment;
        return typeof key === 'number' ? key : String(key);
      });
      const keys = (issue as { code?: unknown; keys?: unknown }).code === 'unrecognized_keys' ? (issue as { keys?: unknown }).keys : undefined;
      return Array.isArray(keys) ? { path, message: issue.message, keys: keys.map(String) } : { path, message: issue.message };
    }),
  };
}

/** Checks that a built-in `file` destination can create and write its file. */
async function checkFileDestination(entry: RawEntry, index: number, locate: Locator): Promise<ConfigIssue[]> {
  const destination = entry.destination;
  if (!isRecord(destination) || destination.use !== 'file' || !isRecord(destination.with)) return [];
  const { path, baseDir } = destination.with;
  if (typeof path !== 'string' || path === '') return [];

  const target = resolve(typeof baseDir === 'string' ? baseDir : '.', path);
  const problem = await checkWritablePath(target);
  if (problem === undefined) return [];
  const segments = ['pipelines', index, 'destination', 'with', 'path'];
  return [{ path: formatPath(segments), message: problem, ...locate(segments) }];
}

/** Applies the settings to a placeholder pipeline, so core's checks (cron syntax, time zone, ranges) run now. */
function checkSettings(config: Config, entry: PipelineConfig, index: number, settings: ResolvedSettings, locate: Locator): ConfigIssue[] {
  const { cron, timezone, intervalMs, ...rest } = settings.options;
  const timingKey = cron !== undefined ? 'schedule' : 'interval';
  const steps: Array<{ key: string; apply: () => void }> = [
    { key: timingKey, apply: () => new Pipeline(placeholderSource, placeholderDestination, { name: entry.name, cron, intervalMs }) },
    { key: 'timezone', apply: () => new Pipeline(placeholderSource, placeholderDestination, { name: entry.name, cron, timezone }) },
    { key: 'pipeline', apply: () => new Pipeline(placeholderSource, placeholderDestination, rest) },
    { key: 'retry', apply: () => new Pipeline(placeholderSource, placeholderDestination, { name: entry.name }).setRetry(settings.retry.source, 'source').setRetry(settings.retry.destination, 'destination') },
  ];

  for (const step of steps) {
    try {
      step.apply();
    } catch (error) {
      const own = step.key in entry && (entry as Record<string, unknown>)[step.key] !== undefined;
      const segments: PathSegment[] = step.key === 'pipeline' ? ['pipelines', index] : own || config.defaults === undefined ? ['pipelines', index, step.key] : ['defaults', step.key];
      return [{ path: formatPath(segments), message: (error as Error).message, ...locate(segments) }];
    }
  }
  return [];
}

function toSpec(entry: PipelineConfig, settings: ResolvedSettings, plugins: { source?: PreparedPlugin; destination?: PreparedPlugin }, raw: RawEntry): PipelineSpec {
  const source = plugins.source!;
  const destination = plugins.destination!;
  const fingerprint = stringify({ settings, source: raw.source, destination: raw.destination }) ?? '';

  return {
    name: entry.name,
    fingerprint,
    settings,
    create: () => {
      let instance = (source.definition.create as (options: unknown) => Source)(source.options);
      if (settings.maxPayloadBytes !== undefined) instance = limitPayloadSize(instance, settings.maxPayloadBytes, entry.name);
      const sink = (destination.definition.create as (options: unknown) => Destination)(destination.options);
      return new Pipeline(instance, sink, settings.options)
        .setRetry(settings.retry.source, 'source')
        .setRetry(settings.retry.destination, 'destination');
    },
  };
}

/** Logs how each pipeline is scheduled. */
export function logPipelines(logger: Logger, pipelines: readonly Pipeline[]): void {
  for (const pipeline of pipelines) {
    const schedule = pipeline.cron === undefined ? { intervalMs: pipeline.intervalMs } : { cron: pipeline.cron.expression, timezone: pipeline.cron.timezone };
    logger.info({ pipeline: pipeline.name, ...schedule, timeoutMs: pipeline.timeoutMs, overrun: pipeline.overrun }, 'pipeline configured');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
