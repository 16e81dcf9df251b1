import { join } from 'node:path';
import { Pipeline, Scheduler } from '@deltav/core';
import { FileDestination } from '@deltav/dest-file';
import { HttpSource } from '@deltav/source-http';
import { runAsChild } from '../harness/child.js';
import { measureLoad, type LoadInput } from '../harness/periodic-load.js';

/** The deltav contender: a Scheduler with one HttpSource to FileDestination pipeline per job. */
runAsChild((input: LoadInput) =>
  measureLoad(input, (recorder) => {
    if (input.url === undefined || input.folder === undefined) throw new Error('HTTP to file contender started without url and folder.');
    const { url, folder } = input;
    const scheduler = new Scheduler();
    scheduler.on('runStarted', (event) => recorder.started(event.lateMs));
    scheduler.on('runFinished', (event) => recorder.finished(event.outcome === 'success'));

    for (let i = 0; i < input.pipelines; i++) {
      const source = new HttpSource({ url: `${url}/items/${i}` });
      const destination = new FileDestination({ path: join(folder, `item_${i}.json`) });
      scheduler.addPipeline(new Pipeline(source, destination, { name: `item_${i}`, intervalMs: input.intervalMs, runAtStart: false }));
    }
    scheduler.start();
    return { stop: () => scheduler.stop() };
  }),
);
