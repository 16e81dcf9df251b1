import type { Check } from './checks.js';
import { ConformanceError, describeError } from './errors.js';
import { captureUnhandledRejections, formatHandles, trackHandles, waitForHandlesToClose, type HandleTracker } from './hygiene.js';

/**
 * Builds the two hygiene checks around `exercise`, which drives every scenario of a
 * plugin from creation to `close()`: no unhandled rejections, and no handle still open
 * once `close()` resolved.
 */
export function hygieneChecks<Subject extends { settleMs: number }>(call: 'fetch' | 'write', exercise: (subject: Subject) => Promise<void>): Array<Check<Subject>> {
  const noUnhandledRejections: Check<Subject> = {
    id: 'no-unhandled-rejections',
    title: 'leaves no unhandled rejections',
    run: async (subject) => {
      let tracker: HandleTracker | undefined;
      const rejections = await captureUnhandledRejections(
        async () => {
          ({ tracker } = await trackHandles(() => exercise(subject)));
        },
        async () => {
          // Waiting for the plugin's timers to end lets a rejection from one of them surface here.
          if (tracker !== undefined) await waitForHandlesToClose(tracker, subject.settleMs);
          tracker?.stop();
        },
      );
      if (rejections.length > 0) {
        throw new ConformanceError(
          'no-unhandled-rejections',
          `${rejections.length} unhandled rejection(s) during ${call}, abort and close: ${summarize(rejections)}. Await or catch every promise the plugin starts.`,
        );
      }
    },
  };

  const noOpenHandles: Check<Subject> = {
    id: 'no-open-handles',
    title: 'leaves no timers or handles open after close()',
    run: async (subject) => {
      const { tracker } = await trackHandles(() => exercise(subject));
      try {
        const open = await waitForHandlesToClose(tracker, subject.settleMs);
        if (open.size > 0) {
          throw new ConformanceError(
            'no-open-handles',
            `still open ${subject.settleMs} ms after close() resolved: ${formatHandles(open)}. close() must clear the plugin's timers and close its sockets and files.`,
          );
        }
      } finally {
        tracker.stop();
      }
    },
  };

  return [noUnhandledRejections, noOpenHandles];
}

/** Lists distinct rejections once each, with a count when one repeats. */
function summarize(rejections: unknown[]): string {
  const counts = new Map<string, number>();
  for (const rejection of rejections) {
    const text = describeError(rejection);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, count]) => (count === 1 ? text : `${text} (${count} times)`)).join('; ');
}
