import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Keys whose values never reach the logs, wherever they appear in a log object. */
const REDACTED_PATHS = ['*.password', '*.token', '*.authorization', '*.headers.authorization', 'headers.authorization'];

/**
 * Creates the runner's logger on standard error: one JSON object per line, or readable
 * lines for a person at a terminal.
 */
export function createLogger(level: LogLevel, format: LogFormat): PinoLogger {
  const options = { level, base: { service: 'deltav' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (format === 'pretty') {
    return pino(options, pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, ignore: 'service,hostname,pid' }));
  }
  return pino(options, pino.destination({ dest: 2, sync: true }));
}
