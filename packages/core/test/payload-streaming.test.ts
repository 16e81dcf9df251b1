import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { markRetryable, Pipeline, Scheduler, type Payload, type RunContext } from '../src/index.js';

const CHUNK = 64 * 1024;

/** A source stream of `count` chunks that records how far it has been pulled and whether it was stopped. */
function countingStream(count: number) {
  const state = { produced: 0, stopped: false };
  async function* generate() {
    try {
      for (let i = 0; i < count; i++) {
        state.produced++;
        yield new Uint8Array(CHUNK).fill(i % 251);
      }
    } finally {
      state.stopped = true;
    }
  }
  return { state, body: generate() };
}

async function readAll(payload: Payload, onChunk: (chunk: Uint8Array) => void | Promise<void> = () => {}): Promise<number> {
  let total = 0;
  for await (const chunk of payload.stream()) {
    total += chunk.byteLength;
    await onChunk(chunk);
  }
  return total;
}

async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'deltav-spool-'));
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

describe('streamed payloads', () => {
  it('flows a large body chunk by chunk', async () => {
    const { state, body } = countingStream(1024);
    let maxAhead = 0;
    let consumed = 0;
    const destination = {
      write: async (payload: Payload) => {
        await readAll(payload, () => {
          consumed++;
          maxAhead = Math.max(maxAhead, state.produced - consumed);
        });
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline({ fetch: async () => ({ body }) }, destination, { name: 'big' }));

    const result = await scheduler.runNow('big');

    expect(result.outcome).toBe('success');
    expect(result.bytes).toBe(1024 * CHUNK);
    // The source is never pulled far ahead of the destination, so the body is not held in memory.
    expect(maxAhead).toBeLessThanOrEqual(2);
  });

  it('accepts a web ReadableStream body', async () => {
    const chunks = ['hello ', 'streamed ', 'world'].map((text) => new TextEncoder().encode(text));
    let text = '';
    const scheduler = new Scheduler();
    scheduler.addPipeline(
      new Pipeline({ fetch: async () => ({ body: ReadableStream.from(chunks) }) }, { write: async (payload) => void (text = await payload.text()) }, { name: 'web' }),
    );

    const result = await scheduler.runNow('web');

    expect(text).toBe('hello streamed world');
    expect(result.bytes).toBe(20);
  });

  it('stops the source when the run times out', async () => {
    const { state, body } = countingStream(1_000_000);
    const destination = {
      write: async (payload: Payload, context: RunContext) => {
        // Reads slowly and ignores the signal; the run must still end at its deadline.
        await readAll(payload, () => new Promise((resolve) => setTimeout(resolve, 5)));
        void context;
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline({ fetch: async () => ({ body }) }, destination, { name: 'slow', timeoutMs: 50 }));

    const result = await scheduler.runNow('slow');

    expect(result.outcome).toBe('failure');
    expect(result.error).toMatchObject({ code: 'DELTAV_RUN_TIMEOUT' });
    await expect.poll(() => state.stopped).toBe(true);
    expect(state.produced).toBeLessThan(1_000_000);
  });

  it('does not retry a partly read stream without a spool', async () => {
    const { body } = countingStream(10);
    let writes = 0;
    const destination = {
      write: async (payload: Payload) => {
        writes++;
        await readAll(payload, () => {
          throw markRetryable(new Error('disk hiccup'));
        });
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline({ fetch: async () => ({ body }) }, destination, { name: 'once', retry: { initialDelayMs: 1 } }));

    const result = await scheduler.runNow('once');

    expect(result.outcome).toBe('failure');
    expect(result.error?.message).toBe('disk hiccup');
    expect(writes).toBe(1);
    expect(result.attempts).toEqual({ source: 1, destination: 1 });
  });

  it('replays a spooled stream on a destination retry', async () => {
    const spoolDir = await tempFolder();
    const { state, body } = countingStream(40);
    const received: number[] = [];
    let fetches = 0;
    let failedOnce = false;
    const destination = {
      write: async (payload: Payload) => {
        let offset = 0;
        const total = await readAll(payload, (chunk) => {
          // Byte p belongs to source chunk floor(p / CHUNK), whose bytes all equal its index mod 251.
          for (const at of [0, chunk.byteLength - 1]) expect(chunk[at]).toBe(Math.floor((offset + at) / CHUNK) % 251);
          offset += chunk.byteLength;
          if (!failedOnce && offset >= 25 * CHUNK) {
            failedOnce = true;
            throw markRetryable(new Error('disk hiccup'));
          }
        });
        received.push(total);
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(
      new Pipeline(
        {
          fetch: async () => {
            fetches++;
            return { body };
          },
        },
        destination,
        { name: 'spooled', streamSpoolDir: spoolDir, retry: { initialDelayMs: 1 } },
      ),
    );

    const result = await scheduler.runNow('spooled');

    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('success');
    expect(fetches).toBe(1);
    expect(state.produced).toBe(40);
    expect(received).toEqual([40 * CHUNK]);
    expect(result.attempts).toEqual({ source: 1, destination: 2 });
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('buffers a stream for bytes() and reads it twice', async () => {
    const { body } = countingStream(3);
    const sizes: number[] = [];
    const scheduler = new Scheduler();
    scheduler.addPipeline(
      new Pipeline(
        { fetch: async () => ({ body }) },
        {
          write: async (payload) => {
            sizes.push((await payload.bytes()).byteLength, (await payload.bytes()).byteLength, payload.size ?? -1);
          },
        },
        { name: 'buffered' },
      ),
    );

    await scheduler.runNow('buffered');

    expect(sizes).toEqual([3 * CHUNK, 3 * CHUNK, 3 * CHUNK]);
  });

  it('rejects a chunk that is not bytes', async () => {
    async function* wrong() {
      yield 42 as unknown as Uint8Array;
    }
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline({ fetch: async () => ({ body: wrong() }) }, { write: async (payload) => void (await payload.bytes()) }, { name: 'bad' }));

    const result = await scheduler.runNow('bad');

    expect(result.error).toMatchObject({ code: 'DELTAV_INVALID_PAYLOAD' });
  });

  it('serves a buffered body as a stream', async () => {
    let total = 0;
    const scheduler = new Scheduler();
    scheduler.addPipeline(
      new Pipeline({ fetch: async () => ({ body: 'plain' }) }, { write: async (payload) => void (total = await readAll(payload)) }, { name: 'plain' }),
    );

    await scheduler.runNow('plain');

    expect(total).toBe(5);
  });
});
