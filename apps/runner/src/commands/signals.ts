import type { Logger } from '@deltav/core';

/** Exit statuses after a second signal: 128 plus the signal number, as shells report it. */
export const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Calls `onFirst` on the first SIGINT or SIGTERM, so the caller can shut down gracefully;
 * a second one exits at once with 130 or 143. Returns a function that removes the handlers.
 */
export function onShutdownSignals(logger: Logger, onFirst: () => void): () => void {
  let received = false;
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      logger.warn({ signal }, 'second signal received; exiting without waiting for runs');
      process.exit(SIGNAL_EXIT[signal] ?? 1);
    }
    received = true;
    logger.info({ signal, hint: 'send the signal again to exit at once' }, 'shutting down gracefully');
    onFirst();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
