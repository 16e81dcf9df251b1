import type { PipelineOptions, RetryOptions } from '@deltav/core';
import type { Config, DefaultsConfig, PipelineConfig, RetryConfig } from './schema.js';

/** Time between runs when neither the pipeline nor `defaults` sets an interval or a schedule: one minute. */
export const DEFAULT_INTERVAL_MS = 60_000;

/** The settings of one pipeline after `defaults` are applied, ready for `new Pipeline()`. */
export interface ResolvedSettings {
  options: PipelineOptions;
  retry: { source: RetryOptions; destination: RetryOptions };
  /** Largest accepted payload in bytes, or `undefined` for no runner-side limit. */
  maxPayloadBytes: number | undefined;
}

/**
 * Applies `defaults` to one pipeline: each key set on the pipeline wins. A pipeline that
 * sets `interval` or `schedule` replaces both of the defaults, so a default cron schedule
 * never fights a pipeline's interval.
 */
export function resolveSettings(config: Config, entry: PipelineConfig): ResolvedSettings {
  const defaults: DefaultsConfig = config.defaults ?? {};
  const timing = entry.interval !== undefined || entry.schedule !== undefined ? entry : defaults;
  const pick = <K extends keyof PipelineConfig & keyof DefaultsConfig>(key: K): DefaultsConfig[K] => entry[key] ?? defaults[key];

  const options: PipelineOptions = { name: entry.name };
  if (timing.schedule !== undefined) {
    options.cron = timing.schedule;
    const timezone = entry.timezone ?? defaults.timezone;
    if (timezone !== undefined) options.timezone = timezone;
  } else {
    options.intervalMs = timing.interval ?? DEFAULT_INTERVAL_MS;
    // A timezone on the pipeline itself without a schedule is a mistake that core reports.
    if (entry.timezone !== undefined) options.timezone = entry.timezone;
  }
  assign(options, 'runAtStart', pick('runAtStart'));
  assign(options, 'align', pick('align'));
  assign(options, 'jitterMs', pick('jitter'));
  assign(options, 'timeoutMs', pick('timeout'));
  assign(options, 'overrun', pick('overrun'));
  assign(options, 'maxConcurrency', pick('maxConcurrency'));
  assign(options, 'debugPayload', pick('debugPayload'));

  return {
    options,
    retry: { source: stageRetry('source', defaults.retry, entry.retry), destination: stageRetry('destination', defaults.retry, entry.retry) },
    maxPayloadBytes: pick('maxPayloadSize'),
  };
}

/** Merges retry settings, from weakest to strongest: defaults, defaults per stage, pipeline, pipeline per stage. */
function stageRetry(stage: 'source' | 'destination', defaults: RetryConfig | undefined, own: RetryConfig | undefined): RetryOptions {
  const merged: RetryOptions = {};
  for (const layer of [defaults, defaults?.[stage], own, own?.[stage]]) {
    if (layer === undefined) continue;
    assign(merged, 'maxAttempts', layer.maxAttempts);
    assign(merged, 'initialDelayMs', layer.initialDelay);
    assign(merged, 'maxDelayMs', layer.maxDelay);
    assign(merged, 'multiplier', layer.multiplier);
    assign(merged, 'maxElapsedMs', layer.maxElapsed);
    assign(merged, 'retryAfterCapMs', layer.retryAfterCap);
  }
  return merged;
}

function assign<T, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
