import type { InstrumentOptions } from './instrument.js';
import { describeValue, invalidOption } from './invalid-option.js';
import type { MetricBuckets } from './pipeline-metrics.js';

const COMPONENT = 'instrumentScheduler';
const METRIC_NAME_PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const BUCKET_KEYS = ['runDuration', 'payloadSize', 'scheduleLateness', 'httpRequestDuration'] as const;

/** Validates `instrumentScheduler` options and throws a coded error on the first invalid one. */
export function checkInstrumentOptions(options: InstrumentOptions): InstrumentOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption(COMPONENT, `invalid options ${describeValue(options)}: expected an object such as { registry }.`);
  }

  const { registry, defaultMetrics, buckets, buildVersion } = options;
  if (registry !== undefined && (typeof registry !== 'object' || registry === null || typeof registry.getSingleMetric !== 'function')) {
    throw invalidOption(COMPONENT, `invalid registry ${describeValue(registry)}: expected a prom-client Registry. Pass new Registry() from prom-client.`);
  }
  checkDefaultMetrics(defaultMetrics);
  if (buckets !== undefined) checkBuckets(buckets);
  if (buildVersion !== undefined && (typeof buildVersion !== 'string' || buildVersion === '')) {
    throw invalidOption(COMPONENT, `invalid buildVersion ${describeValue(buildVersion)}: expected a non-empty string such as "1.4.0".`);
  }
  return options;
}

function checkDefaultMetrics(value: InstrumentOptions['defaultMetrics']): void {
  if (value === undefined || typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null) {
    throw invalidOption(COMPONENT, `invalid defaultMetrics ${describeValue(value)}: expected true, false or { prefix }.`);
  }
  const { prefix } = value;
  if (prefix !== undefined && prefix !== '' && (typeof prefix !== 'string' || !METRIC_NAME_PREFIX.test(prefix))) {
    throw invalidOption(
      COMPONENT,
      `invalid defaultMetrics.prefix ${describeValue(prefix)}: expected letters, digits, "_" or ":", not starting with a digit, such as "deltav_".`,
    );
  }
}

function checkBuckets(buckets: MetricBuckets): void {
  if (typeof buckets !== 'object' || buckets === null) {
    throw invalidOption(COMPONENT, `invalid buckets ${describeValue(buckets)}: expected an object such as { runDuration: [0.1, 1, 10] }.`);
  }
  for (const key of Object.keys(buckets)) {
    if (!(BUCKET_KEYS as readonly string[]).includes(key)) {
      throw invalidOption(COMPONENT, `unknown buckets.${key}: expected one of ${BUCKET_KEYS.join(', ')}.`);
    }
  }
  for (const key of BUCKET_KEYS) {
    const layout = buckets[key];
    if (layout === undefined) continue;
    if (!isIncreasingFinite(layout)) {
      throw invalidOption(
        COMPONENT,
        `invalid buckets.${key} ${describeValue(layout)}: expected a non-empty array of finite numbers in increasing order, such as [0.1, 1, 10].`,
      );
    }
  }
}

function isIncreasingFinite(layout: unknown): boolean {
  if (!Array.isArray(layout) || layout.length === 0) return false;
  return layout.every((bound, index) => typeof bound === 'number' && Number.isFinite(bound) && (index === 0 || bound > (layout[index - 1] as number)));
}
