import { runAsChild } from '../harness/child.js';
import { measureLoad, noopFetch, noopWrite, type LoadInput } from '../harness/periodic-load.js';

/**
 * The floor: one `setInterval` per job and nothing else. Node.js re-arms an interval from
 * when its callback ran, so each firing is measured against the previous firing plus the
 * interval, which is the time `setInterval` aims at. The drift this causes against the
 * fixed grid (start + k × interval) is reported apart.
 */
runAsChild((input: LoadInput) =>
  measureLoad(input, (recorder) => {
    const timers: NodeJS.Timeout[] = [];
    const armedAt = new Float64Array(input.pipelines);
    const lastFire = new Float64Array(input.pipelines);
    const firings = new Uint32Array(input.pipelines);

    for (let i = 0; i < input.pipelines; i++) {
      armedAt[i] = performance.now();
      lastFire[i] = armedAt[i]!;
      timers.push(
        setInterval(async () => {
          const now = performance.now();
          recorder.started(now - (lastFire[i]! + input.intervalMs));
          lastFire[i] = now;
          firings[i]!++;
          await noopWrite(await noopFetch());
          recorder.finished(true);
        }, input.intervalMs),
      );
    }

    return {
      stop: () => timers.forEach((timer) => clearInterval(timer)),
      extra: () => {
        let drift = 0;
        for (let i = 0; i < input.pipelines; i++) drift += lastFire[i]! - (armedAt[i]! + firings[i]! * input.intervalMs);
        return { meanDriftMsFromGrid: drift / input.pipelines };
      },
    };
  }),
);
