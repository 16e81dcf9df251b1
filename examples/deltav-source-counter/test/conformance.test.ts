import type { StateStore } from '@deltav/core';
import { describeOptionsConformance, describeSourceConformance, instantiate } from '@deltav/testkit';
import { describe, it } from 'vitest';
import { counterSource } from '../src/index.js';

/** A state store whose backing service is down: the transient failure this source can meet. */
const unavailableState: StateStore = {
  get: async () => {
    throw new Error('state service unavailable');
  },
  set: async () => {},
  delete: async () => {},
};

describeSourceConformance(
  {
    name: 'counter',
    create: () => instantiate(counterSource, { start: 1 }),
    stalled: () => instantiate(counterSource, { delayMs: 60_000 }),
    transientFailure: async () => ({ source: await instantiate(counterSource, {}), context: { state: unavailableState } }),
  },
  { describe, it },
);

describeOptionsConformance({ definition: counterSource, valid: { start: 10, step: 5, delayMs: 100 } }, { describe, it });
