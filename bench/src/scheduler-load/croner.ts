import { Cron } from 'croner';
import { runAsChild } from '../harness/child.js';
import { measureLoad, noopFetch, noopWrite, type LoadInput } from '../harness/periodic-load.js';

/** Wall-clock time with sub-millisecond resolution, comparable with croner's Date-based slots. */
function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The peer: one croner job per pipeline with overrun protection, firing every second.
 * Croner slots fall on whole wall-clock seconds, and croner computes the next slot from
 * the firing, so each firing is measured against the whole second that it serves.
 */
runAsChild((input: LoadInput) =>
  measureLoad(input, (recorder) => {
    const seconds = input.intervalMs / 1000;
    if (!Number.isInteger(seconds) || 60 % seconds !== 0) {
      throw new Error(`croner contender: invalid intervalMs ${input.intervalMs}: expected a whole number of seconds that divides a minute.`);
    }
    const pattern = seconds === 1 ? '* * * * * *' : `*/${seconds} * * * * *`;
    const jobs: Cron[] = [];

    for (let i = 0; i < input.pipelines; i++) {
      let slot = Number.NaN;
      const job = new Cron(pattern, { protect: true }, async () => {
        const now = wallNow();
        recorder.started(now - slot);
        // Slots that divide a minute are multiples of the interval since the epoch; this
        // arithmetic keeps croner's own next-run search out of the measured CPU.
        slot = (Math.floor(now / input.intervalMs) + 1) * input.intervalMs;
        await noopWrite(await noopFetch());
        recorder.finished(true);
      });
      slot = job.nextRun()?.getTime() ?? Number.NaN;
      jobs.push(job);
    }

    return { stop: () => jobs.forEach((job) => job.stop()) };
  }),
);
