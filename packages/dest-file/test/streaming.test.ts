import { createPayload, Pipeline, Scheduler } from '@deltav/core';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDestination } from '../src/index.js';
import { runContext, tempFilesIn, tempFolder } from './helpers.js';

const CHUNK = 256 * 1024;

/** A stream of `count` pseudo-random chunks; `state` shows how far it was pulled. */
function chunkStream(count: number, failAt?: number) {
  const state = { produced: 0, hash: createHash('sha256') };
  async function* generate() {
    for (let i = 0; i < count; i++) {
      if (i === failAt) throw new Error('upstream connection reset');
      const chunk = createHash('sha512').update(String(i)).digest();
      const block = new Uint8Array(CHUNK);
      for (let offset = 0; offset < CHUNK; offset += chunk.byteLength) block.set(chunk.subarray(0, Math.min(chunk.byteLength, CHUNK - offset)), offset);
      state.produced++;
      state.hash.update(block);
      yield block;
    }
  }
  return { state, body: generate() };
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('streamed writes', () => {
  it('writes a large stream byte for byte', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'large.bin');
    const { state, body } = chunkStream(256);
    const destination = new FileDestination(target);
    const context = runContext();

    await destination.write(createPayload({ body }), context);

    expect(await sha256(target)).toBe(state.hash.digest('hex'));
    expect(context.emitted).toEqual([{ type: 'file.written', data: { path: target, mode: 'overwrite', bytes: 256 * CHUNK } }]);
    expect(await tempFilesIn(folder)).toEqual([]);
  });

  it('keeps the old file when the stream fails midway', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'snapshot.bin');
    await writeFile(target, 'previous good snapshot');
    const { body } = chunkStream(64, 10);

    await expect(new FileDestination(target).write(createPayload({ body }), runContext())).rejects.toThrow('upstream connection reset');

    expect(await readFile(target, 'utf8')).toBe('previous good snapshot');
    expect(await tempFilesIn(folder)).toEqual([]);
  });

  it('keeps the old file when the run is aborted mid-stream', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'snapshot.bin');
    await writeFile(target, 'previous good snapshot');
    const controller = new AbortController();
    async function* slow() {
      for (let i = 0; i < 1000; i++) {
        if (i === 5) controller.abort(new Error('run timed out'));
        yield new Uint8Array(CHUNK);
      }
    }

    await expect(new FileDestination(target).write(createPayload({ body: slow() }), runContext({ signal: controller.signal }))).rejects.toThrow('run timed out');

    expect(await readFile(target, 'utf8')).toBe('previous good snapshot');
    expect(await tempFilesIn(folder)).toEqual([]);
  });

  it('streams through a scheduler run and reports the bytes', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'run.bin');
    const { state, body } = chunkStream(32);
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline({ fetch: async () => ({ body }) }, new FileDestination(target), { name: 'stream' }));

    const result = await scheduler.runNow('stream');
    await scheduler.stop();

    expect(result.outcome).toBe('success');
    expect(result.bytes).toBe(32 * CHUNK);
    expect(await sha256(target)).toBe(state.hash.digest('hex'));
    expect((await readdir(folder)).sort()).toEqual(['run.bin']);
  });

  it('appends a streamed payload as one record', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'events.ndjson');
    const destination = new FileDestination({ path: target, mode: 'append' });
    async function* parts() {
      yield new TextEncoder().encode('{"id":1,');
      yield new TextEncoder().encode('"ok":true}');
    }

    await destination.write(createPayload({ body: parts() }), runContext());

    expect(await readFile(target, 'utf8')).toBe('{"id":1,"ok":true}\n');
  });
});
