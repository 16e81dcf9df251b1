import { register as defaultRegistry, Registry, type RegistryContentType } from 'prom-client';
import type { AnyRegistry } from './pipeline-metrics.js';

/** `prometheus`: the text format 0.0.4. `openmetrics`: OpenMetrics text 1.0.0. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** The `Content-Type` of each exposition format. */
export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, RegistryContentType>> = {
  prometheus: Registry.PROMETHEUS_CONTENT_TYPE,
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
};

interface RenderedMetric {
  type?: string;
  name: string;
}

/** The tail of each render of a registry, so renders of one registry never overlap. */
const renderQueues = new WeakMap<AnyRegistry, Promise<unknown>>();
/** Each counter's registered name, from before any OpenMetrics render touched it. */
const counterNames = new WeakMap<RenderedMetric, string>();

/**
 * Renders a registry in the Prometheus text format 0.0.4, or in OpenMetrics text 1.0.0,
 * whatever content type the registry was created with.
 */
export function gatherText(registry: AnyRegistry = defaultRegistry, format: ExpositionFormat = 'prometheus'): Promise<string> {
  const previous = renderQueues.get(registry) ?? Promise.resolve();
  const render = previous.then(() => renderAs(registry, format));
  renderQueues.set(
    registry,
    render.catch(() => undefined),
  );
  return render;
}

/**
 * Switches the registry to the format's content type for one render and restores it.
 *
 * NOTE: prom-client 15.1.3 strips `_total` from the `name` of every counter it renders as
 * OpenMetrics and never puts it back, so a later Prometheus render would lose the suffix.
 * The names are restored here from the ones first seen by this function. A counter that
 * another caller rendered as OpenMetrics before this function first saw it keeps the
 * stripped name.
 */
async function renderAs(registry: AnyRegistry, format: ExpositionFormat): Promise<string> {
  const metrics = registry.getMetricsAsArray() as unknown as RenderedMetric[];
  if (metrics.length === 0) return format === 'openmetrics' ? '# EOF\n' : '';

  const counters = metrics.filter((metric) => metric.type === 'counter');
  for (const counter of counters) {
    if (!counterNames.has(counter)) counterNames.set(counter, counter.name);
  }

  const original = registry.contentType;
  registry.setContentType(CONTENT_TYPES[format]);
  try {
    return await registry.metrics();
  } finally {
    registry.setContentType(original);
    for (const counter of counters) counter.name = counterNames.get(counter) ?? counter.name;
  }
}
