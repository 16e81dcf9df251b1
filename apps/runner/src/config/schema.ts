import { z } from 'zod';
import { parseDuration } from './duration.js';
import { parseListen } from './listen.js';

const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/;

const duration = z.string().transform((text, context) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    context.addIssue({ code: 'custom', message: `invalid duration "${text}": expected a positive number with a unit (ms, s, m, h, d), such as "30s", "5m" or "1h30m"` });
    return z.NEVER;
  }
  return ms;
});

const pluginReference = z.strictObject({
  use: z.string().min(1, { message: 'expected a built-in alias (http, file) or an npm package name' }),
  with: z.record(z.string(), z.unknown()).optional(),
});

const pipeline = z.strictObject({
  name: z.string().regex(NAME_PATTERN, { message: 'expected 1 to 128 letters, digits, "_", "-", "." or ":", starting with a letter, digit or "_"' }),
  interval: duration.optional(),
  timeout: duration.optional(),
  debugPayload: z.boolean().optional(),
  source: pluginReference,
  destination: pluginReference,
});

const metrics = z.strictObject({
  listen: z.string().transform((text, context) => {
    const address = parseListen(text);
    if (address === undefined) {
      context.addIssue({ code: 'custom', message: `invalid listen address "${text}": expected host:port, [ipv6]:port or :port, such as "127.0.0.1:9464"` });
      return z.NEVER;
    }
    return address;
  }),
  path: z.string().startsWith('/', { message: 'expected a path starting with "/", such as "/metrics"' }).optional(),
});

/** The runner's config file, after parsing durations and addresses. */
export const configSchema = z.strictObject({
  metrics: metrics.optional(),
  defaults: z
    .strictObject({
      interval: duration.optional(),
      timeout: duration.optional(),
      shutdownTimeout: duration.optional(),
    })
    .optional(),
  pipelines: z.array(pipeline).min(1, { message: 'expected at least one pipeline' }),
});

export type Config = z.output<typeof configSchema>;
export type PipelineConfig = Config['pipelines'][number];
export type PluginReference = PipelineConfig['source'];
