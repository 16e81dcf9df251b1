import { Pipeline, Scheduler } from '@deltav/core';
import { instrumentScheduler } from '@deltav/metrics';
import { Registry } from 'prom-client';
import { runAsChild } from '../harness/child.js';
import { measureLoad, noopFetch, noopWrite, type LoadInput } from '../harness/periodic-load.js';

/** The deltav contender: one Scheduler with a no-op pipeline per job. */
runAsChild((input: LoadInput) =>
  measureLoad(input, (recorder) => {
    const scheduler = new Scheduler();
    if (input.metrics === true) instrumentScheduler(scheduler, { registry: new Registry() });
    scheduler.on('runStarted', (event) => recorder.started(event.lateMs));
    scheduler.on('runFinished', (event) => recorder.finished(event.outcome === 'success'));

    for (let i = 0; i < input.pipelines; i++) {
      const source = { fetch: async () => ({ body: await noopFetch() }) };
      const destination = { write: async (payload: { bytes(): Promise<Uint8Array> }) => noopWrite(await payload.bytes()) };
      scheduler.addPipeline(new Pipeline(source, destination, { name: `job_${i}`, intervalMs: input.intervalMs, runAtStart: false }));
    }
    scheduler.start();
    return { stop: () => scheduler.stop() };
  }),
);
