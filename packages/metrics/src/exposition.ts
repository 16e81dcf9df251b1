import { register as defaultRegistry, type Registry } from 'prom-client';

/** Renders a registry in the Prometheus text exposition format. */
export function gatherText(registry: Registry = defaultRegistry): Promise<string> {
  return registry.metrics();
}
