import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileDestination } from '../src/index.js';
import { payload, runContext, tempFolder } from './helpers.js';

/** Spies on `FileHandle.prototype.sync`, which every fsync of this package goes through. */
async function spyOnSync(folder: string) {
  const probe = join(folder, 'probe');
  await writeFile(probe, '');
  const handle = await open(probe, 'r');
  const prototype = Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
  await handle.close();
  return vi.spyOn(prototype, 'sync');
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('fsync policy', () => {
  it('always flushes file and folder per write', async () => {
    const folder = await tempFolder();
    const sync = await spyOnSync(folder);

    await new FileDestination(join(folder, 'latest.txt')).write(payload('x'), runContext());

    expect(sync).toHaveBeenCalledTimes(2);
  });

  it('always flushes a new append file and its folder', async () => {
    const folder = await tempFolder();
    const sync = await spyOnSync(folder);
    const destination = new FileDestination({ path: join(folder, 'events.log'), mode: 'append' });

    await destination.write(payload('created'), runContext());
    expect(sync).toHaveBeenCalledTimes(2);

    await destination.write(payload('appended'), runContext());
    expect(sync).toHaveBeenCalledTimes(3);
  });

  it('never leaves flushing to the OS', async () => {
    const folder = await tempFolder();
    const sync = await spyOnSync(folder);
    const overwrite = new FileDestination({ path: join(folder, 'latest.txt'), fsync: 'never' });
    const append = new FileDestination({ path: join(folder, 'events.log'), mode: 'append', fsync: 'never', rotation: { maxBytes: 2 } });

    await overwrite.write(payload('x'), runContext());
    await append.write(payload('a'), runContext());
    await append.write(payload('b'), runContext());
    await overwrite.close();
    await append.close();

    expect(sync).not.toHaveBeenCalled();
    expect(await readFile(join(folder, 'events.log.1'), 'utf8')).toBe('a\n');
  });

  it('interval flushes on the timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const folder = await tempFolder();
    const sync = await spyOnSync(folder);
    const destination = new FileDestination({ path: join(folder, 'events.log'), mode: 'append', fsync: 'interval', fsyncIntervalMs: 5000 });

    await destination.write(payload('a'), runContext());
    await destination.write(payload('b'), runContext());
    expect(sync).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(5000);
    await vi.waitFor(() => expect(sync).toHaveBeenCalledTimes(2));
    await destination.close();
    expect(sync).toHaveBeenCalledTimes(2);
  });

  it('interval flushes on close', async () => {
    const folder = await tempFolder();
    const sync = await spyOnSync(folder);
    const destination = new FileDestination({ path: join(folder, 'latest.txt'), fsync: 'interval', fsyncIntervalMs: 60_000 });

    await destination.write(payload('x'), runContext());
    expect(sync).not.toHaveBeenCalled();

    await destination.close();
    expect(sync).toHaveBeenCalledTimes(2);
  });
});
