import { collectDefaultMetrics } from 'prom-client';
import type { AnyRegistry } from './pipeline-metrics.js';

/** Settings of prom-client's default Node.js process and runtime collectors. */
export interface DefaultMetricsOptions {
  /**
   * Prefix for every default metric name, such as `deltav_` for `deltav_process_cpu_seconds_total`.
   * @default "" (prom-client's own names)
   */
  prefix?: string;
}

/**
 * Gauges that prom-client names with a `_total` suffix. `promtool check metrics` reports
 * each as a non-counter with a counter's suffix, and each equals the sum of the gauge of
 * the same name without `_total`, so they are removed after registration.
 */
const GAUGES_NAMED_LIKE_COUNTERS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** A default metric that every prom-client 15 registers, used to detect an earlier registration. */
const PROBE_METRIC = 'process_cpu_user_seconds_total';

const registered = new WeakSet<AnyRegistry>();

/**
 * Registers prom-client's default collectors in a registry once. Later calls for the same
 * registry do nothing, whatever their prefix, and so does a registry in which the
 * collectors are already present under that prefix.
 */
export function registerDefaultMetrics(registry: AnyRegistry, options: DefaultMetricsOptions = {}): void {
  const prefix = options.prefix ?? '';
  if (registered.has(registry)) return;
  registered.add(registry);
  if (registry.getSingleMetric(`${prefix}${PROBE_METRIC}`) !== undefined) return;

  collectDefaultMetrics({ register: registry, prefix });
  for (const name of GAUGES_NAMED_LIKE_COUNTERS) registry.removeSingleMetric(`${prefix}${name}`);
}
