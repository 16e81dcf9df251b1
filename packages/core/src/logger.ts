/** A log method in the shape pino uses: an object of fields first, then the message. */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

/** The subset of pino's logger that deltav uses; a pino logger fits as it is. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const ignore: LogFn = () => {};

/** A logger that discards everything; the default when none is injected. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};
