import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pipeline, Scheduler } from '../src/index.js';
import { listSource, memoryDestination } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('interval drift', () => {
  it('keeps 10,000 slots on the grid despite slow runs', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const interval = 1000;
    const source = {
      // Each run takes 300 ms, so a schedule counted from run ends would drift by 30 s per 100 runs.
      fetch: () => new Promise<{ body: string }>((resolve) => setTimeout(() => resolve({ body: 'x' }), 300)),
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'grid', intervalMs: interval }));
    const starts: number[] = [];
    const late: number[] = [];
    scheduler.on('runStarted', (event) => {
      starts.push(event.scheduledAt.getTime());
      late.push(event.lateMs);
    });
    const origin = Date.now();

    scheduler.start();
    await vi.advanceTimersByTimeAsync(interval * 10_000 - 1);
    await scheduler.stop();

    expect(starts).toHaveLength(10_000);
    expect(starts[0]).toBe(origin);
    expect(starts.at(-1)).toBe(origin + interval * 9_999);
    expect(starts.every((at, index) => at === origin + index * interval)).toBe(true);
    expect(Math.max(...late)).toBe(0);
  });

  it('waits a full interval without runAtStart', async () => {
    vi.useFakeTimers();
    const destination = memoryDestination();
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(listSource({ body: 'x' }), destination, { name: 'p', intervalMs: 5000, runAtStart: false }));

    scheduler.start();
    await vi.advanceTimersByTimeAsync(4999);
    const before = destination.written.length;
    await vi.advanceTimersByTimeAsync(1);
    await scheduler.stop();

    expect(before).toBe(0);
    expect(destination.written).toHaveLength(1);
  });
});

describe('long waits', () => {
  it('runs a 40-day interval neither early nor late', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const day = 24 * 60 * 60 * 1000;
    const starts: string[] = [];
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(listSource({ body: 'x' }), memoryDestination(), { name: 'rare', intervalMs: 40 * day, runAtStart: false }));
    scheduler.on('runStarted', (event) => starts.push(event.startedAt.toISOString()));

    scheduler.start();
    await vi.advanceTimersByTimeAsync(40 * day - 1);
    const early = [...starts];
    await vi.advanceTimersByTimeAsync(1);
    await scheduler.stop();

    expect(early).toEqual([]);
    expect(starts).toEqual(['2026-02-10T00:00:00.000Z']);
  });
});

describe('jitter and alignment', () => {
  it('delays each slot by at most the jitter bound', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const random = vi.spyOn(Math, 'random');
    random.mockReturnValueOnce(0.999).mockReturnValueOnce(0).mockReturnValue(0.5);
    const starts: Array<{ scheduled: number; started: number; late: number }> = [];
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(listSource({ body: 'x' }), memoryDestination(), { name: 'j', intervalMs: 10_000, jitterMs: 2000, runAtStart: false }));
    scheduler.on('runStarted', (event) => starts.push({ scheduled: event.scheduledAt.getTime(), started: event.startedAt.getTime(), late: event.lateMs }));
    const origin = Date.now();

    scheduler.start();
    await vi.advanceTimersByTimeAsync(31_000);
    await scheduler.stop();
    random.mockRestore();

    expect(starts.map((entry) => entry.scheduled - origin)).toEqual([10_000, 20_000, 30_000]);
    expect(starts.map((entry) => entry.started - entry.scheduled)).toEqual([1998, 0, 1000]);
    expect(starts.map((entry) => entry.late)).toEqual([0, 0, 0]);
  });

  it('aligns slots to interval boundaries', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T12:03:27.500Z') });
    const starts: string[] = [];
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(listSource({ body: 'x' }), memoryDestination(), { name: 'a', intervalMs: 5 * 60_000, align: true, runAtStart: false }));
    scheduler.on('runStarted', (event) => starts.push(event.startedAt.toISOString()));

    scheduler.start();
    await vi.advanceTimersByTimeAsync(12 * 60_000);
    await scheduler.stop();

    expect(starts).toEqual(['2026-01-01T12:05:00.000Z', '2026-01-01T12:10:00.000Z', '2026-01-01T12:15:00.000Z']);
  });

  it('runs at start and then on aligned boundaries', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T12:03:27.500Z') });
    const starts: string[] = [];
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(listSource({ body: 'x' }), memoryDestination(), { name: 'a', intervalMs: 5 * 60_000, align: true }));
    scheduler.on('runStarted', (event) => starts.push(event.startedAt.toISOString()));

    scheduler.start();
    await vi.advanceTimersByTimeAsync(7 * 60_000);
    await scheduler.stop();

    expect(starts).toEqual(['2026-01-01T12:03:27.500Z', '2026-01-01T12:05:00.000Z', '2026-01-01T12:10:00.000Z']);
  });
});

describe('late slots', () => {
  it('skips slots the process was blocked through', async () => {
    vi.useFakeTimers({ now: 0 });
    let blocked = false;
    const source = {
      fetch: async () => {
        // Blocks the event loop past two slots on the first run, as a long synchronous task would.
        if (!blocked) vi.advanceTimersByTime(2500);
        blocked = true;
        return { body: 'x' };
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'p', intervalMs: 1000 }));
    const starts: number[] = [];
    const late: number[] = [];
    scheduler.on('runStarted', (event) => starts.push(event.scheduledAt.getTime()));
    scheduler.on('runSkipped', (event) => {
      if (event.reason === 'late') late.push(event.scheduledAt.getTime());
    });

    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    await scheduler.stop();

    expect(starts).toEqual([0, 3000]);
    expect(late).toEqual([1000, 2000]);
  });
});
