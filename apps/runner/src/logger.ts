import { createRequire } from 'node:module';
import { pino, type Logger as PinoLogger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { REDACTED, scrubSecrets } from './secrets.js';

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Keys whose values never reach the logs, at the top level or one or two levels down. */
const SECRET_KEYS = ['password', 'token', 'secret', 'apiKey', 'authorization', 'Authorization', 'cookie', '"x-api-key"'];
const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `headers.${key}`, `*.headers.${key}`, `*.*.headers.${key}`]);

/**
 * Creates the runner's logger on standard error: one JSON object per line, or readable
 * lines for a person at a terminal. `secrets` returns the interpolated secret values of
 * the current config; each log line is scrubbed of them before it is written.
 */
export function createLogger(level: LogLevel, format: LogFormat, secrets: () => readonly string[] = () => []): PinoLogger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'deltav' },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    hooks: { streamWrite: (line) => scrubSecrets(line, secrets()) },
  };
  if (format === 'pretty') {
    // Loaded only for pretty output, because it adds tens of milliseconds to every start.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
    return pino(options, pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, ignore: 'service,hostname,pid' }));
  }
  return pino(options, pino.destination({ dest: 2, sync: true }));
}
