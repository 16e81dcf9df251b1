import type { Destination, Payload, PayloadInit, RunContext, Source } from '../src/index.js';

/** A source that returns the given bodies in turn, then repeats the last one. */
export function listSource(...bodies: Array<PayloadInit | null | Error>): Source & { contexts: RunContext[]; closed: number } {
  let index = 0;
  const source = {
    contexts: [] as RunContext[],
    closed: 0,
    async fetch(context: RunContext) {
      source.contexts.push(context);
      const next = bodies[Math.min(index++, bodies.length - 1)];
      if (next instanceof Error) throw next;
      return next ?? null;
    },
    close() {
      source.closed++;
    },
  };
  return source;
}

/** A destination that keeps what it receives in memory. */
export function memoryDestination(): Destination & { written: Array<{ text: string; payload: Payload }>; closed: number } {
  const destination = {
    written: [] as Array<{ text: string; payload: Payload }>,
    closed: 0,
    async write(payload: Payload) {
      destination.written.push({ text: await payload.text(), payload });
    },
    close() {
      destination.closed++;
    },
  };
  return destination;
}
