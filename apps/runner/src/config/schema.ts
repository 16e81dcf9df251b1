import { BCRYPT_HASH } from '@deltav/metrics';
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './duration.js';
import { parseListen } from './listen.js';
import { parseSize, SIZE_PATTERN } from './size.js';

const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/;
const DURATION_HINT = 'expected a number with a unit (ms, s, m, h, d), such as "30s", "5m" or "1h30m"';

/** Builds the schema of a duration written as `30s`, `5m` or `1h30m`, parsed to milliseconds; `min` is in milliseconds. */
function durationSchema(min: number) {
  return z
    .string()
    .regex(DURATION_PATTERN, { error: (issue) => `invalid duration "${String(issue.input)}": ${DURATION_HINT}` })
    .transform((text, context) => {
      const ms = parseDuration(text)!;
      if (ms < min) {
        context.addIssue({ code: 'custom', message: `invalid duration "${text}": expected ${min === 0 ? 'zero or more' : 'more than zero'}, ${DURATION_HINT}` });
        return z.NEVER;
      }
      return ms;
    });
}

const duration = durationSchema(1);
const durationOrZero = durationSchema(0);

/** A size in bytes, written as `64MiB`, `512KiB` or `10MB`. */
const size = z
  .string()
  .regex(SIZE_PATTERN, {
    error: (issue) => `invalid size "${String(issue.input)}": expected a number with a unit (B, kB, MB, GB, KiB, MiB, GiB), such as "64MiB"`,
  })
  .transform((text) => parseSize(text)!);

const pluginReference = z.strictObject({
  use: z.string().min(1, { message: 'expected a built-in alias (http, file) or an npm package name' }),
  with: z.record(z.string(), z.unknown()).optional(),
});

/** Retry settings of one stage; omitted fields keep the core defaults. */
const retryFields = {
  maxAttempts: z.number().int().min(1).max(100).optional(),
  initialDelay: durationOrZero.optional(),
  maxDelay: durationOrZero.optional(),
  multiplier: z.number().min(1).max(100).optional(),
  maxElapsed: durationOrZero.optional(),
  retryAfterCap: durationOrZero.optional(),
};

const retry = z.strictObject({
  ...retryFields,
  source: z.strictObject(retryFields).optional(),
  destination: z.strictObject(retryFields).optional(),
});

/** Keys that `defaults` provides and each pipeline may override. */
const pipelineSettings = {
  interval: duration.optional(),
  schedule: z.string().min(1, { message: 'expected a cron expression such as "*/5 * * * *"' }).optional(),
  timezone: z.string().min(1, { message: 'expected an IANA time zone such as "Europe/Berlin"' }).optional(),
  runAtStart: z.boolean().optional(),
  align: z.boolean().optional(),
  jitter: durationOrZero.optional(),
  timeout: duration.optional(),
  overrun: z.enum(['skip', 'queue', 'overlap']).optional(),
  maxConcurrency: z.number().int().min(1).max(1000).optional(),
  retry: retry.optional(),
  debugPayload: z.boolean().optional(),
  maxPayloadSize: size.optional(),
};

/** Rejects `interval` and `schedule` together, because one replaces the other. */
function oneTiming(value: { interval?: number | undefined; schedule?: string | undefined }, context: z.RefinementCtx): void {
  if (value.interval !== undefined && value.schedule !== undefined) {
    context.addIssue({ code: 'custom', path: ['schedule'], message: 'interval and schedule are both set; keep one: interval for a fixed period, schedule for cron' });
  }
}

const defaults = z
  .strictObject({
    ...pipelineSettings,
    shutdownTimeout: durationOrZero.optional(),
    hookTimeout: durationOrZero.optional(),
  })
  .superRefine(oneTiming);

const pipelineObject = z.strictObject({
  name: z.string().regex(NAME_PATTERN, { message: 'expected 1 to 128 letters, digits, "_", "-", "." or ":", starting with a letter, digit or "_"' }),
  ...pipelineSettings,
  source: pluginReference,
  destination: pluginReference,
});

const buckets = z
  .array(z.number().refine(Number.isFinite, { message: 'expected a finite number' }))
  .min(1, { message: 'expected at least one bucket upper bound' })
  .refine((bounds) => bounds.every((bound, index) => index === 0 || bound > bounds[index - 1]!), {
    message: 'expected bucket upper bounds in increasing order, such as [0.1, 1, 10]',
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
  path: z
    .string()
    .startsWith('/', { message: 'expected a path starting with "/", such as "/metrics"' })
    .refine((path) => path !== '/healthz' && path !== '/readyz', { message: '/healthz and /readyz are the health endpoints; choose another path, such as "/metrics"' })
    .optional(),
  tls: z
    .strictObject({
      certFile: z.string().min(1, { message: 'expected the path of a PEM certificate file' }),
      keyFile: z.string().min(1, { message: 'expected the path of a PEM private key file' }),
    })
    .optional(),
  basicAuthUsers: z
    .record(
      z.string().regex(/^[^:]+$/, { message: 'expected a user name without ":"' }),
      z.string().regex(BCRYPT_HASH, { message: 'expected a bcrypt hash such as "$2b$10$..." (60 characters); create one with htpasswd -nbB USER PASSWORD' }),
    )
    .refine((users) => Object.keys(users).length > 0, { message: 'expected at least one user' })
    .optional(),
  defaultMetrics: z
    .union([
      z.boolean(),
      z.strictObject({
        prefix: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { message: 'expected letters, digits, "_" or ":", not starting with a digit, such as "deltav_"' }),
      }),
    ])
    .optional(),
  buckets: z
    .strictObject({
      runDuration: buckets.optional(),
      payloadSize: buckets.optional(),
      scheduleLateness: buckets.optional(),
      httpRequestDuration: buckets.optional(),
    })
    .optional(),
  maxConcurrentScrapes: z.number().int().min(1, { message: 'expected an integer of at least 1' }).optional(),
  headersTimeout: duration.optional(),
  requestTimeout: duration.optional(),
}).superRefine((value, context) => {
  if (value.headersTimeout !== undefined && value.requestTimeout !== undefined && value.requestTimeout < value.headersTimeout) {
    context.addIssue({ code: 'custom', path: ['requestTimeout'], message: 'expected a request timeout at least as long as headersTimeout' });
  }
});

const pipeline = pipelineObject.superRefine(oneTiming);

/** The runner's config file, after parsing durations and addresses. */
export const configSchema = z.strictObject({
  metrics: metrics.optional(),
  defaults: defaults.optional(),
  pipelines: z.array(pipeline).min(1, { message: 'expected at least one pipeline' }),
});

export type Config = z.output<typeof configSchema>;
export type PipelineConfig = Config['pipelines'][number];
export type PluginReference = PipelineConfig['source'];
export type DefaultsConfig = NonNullable<Config['defaults']>;
export type RetryConfig = NonNullable<PipelineConfig['retry']>;
