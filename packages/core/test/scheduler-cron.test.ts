import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pipeline, Scheduler } from '../src/index.js';
import { listSource, memoryDestination } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Runs a cron pipeline from `start` for `hours` of fake time and returns the slot times in UTC. */
async function cronSlots(expression: string, timezone: string, start: string, hours: number): Promise<string[]> {
  vi.useFakeTimers({ now: new Date(start) });
  const slots: string[] = [];
  const scheduler = new Scheduler();
  scheduler.addPipeline(new Pipeline(listSource({ body: 'x' }), memoryDestination(), { name: 'cron', cron: expression, timezone }));
  scheduler.on('runStarted', (event) => {
    expect(event.startedAt.getTime()).toBe(event.scheduledAt.getTime());
    slots.push(event.scheduledAt.toISOString().slice(0, 16));
  });

  scheduler.start();
  await vi.advanceTimersByTimeAsync(hours * 3_600_000);
  await scheduler.stop();
  return slots;
}

describe('cron across DST changes', () => {
  it('skips the missing hour in New York', async () => {
    // 2026-03-08: clocks in New York jump from 02:00 EST to 03:00 EDT.
    const slots = await cronSlots('*/30 * * * *', 'America/New_York', '2026-03-08T05:50:00Z', 2);

    expect(slots).toEqual(['2026-03-08T06:00', '2026-03-08T06:30', '2026-03-08T07:00', '2026-03-08T07:30']);
  });

  it('runs each repeated local time once in New York', async () => {
    // 2026-11-01: clocks in New York fall back from 02:00 EDT to 01:00 EST, so 01:00 to 01:59 happens twice.
    const slots = await cronSlots('*/30 * * * *', 'America/New_York', '2026-11-01T04:10:00Z', 3.5);

    expect(slots).toEqual(['2026-11-01T04:30', '2026-11-01T05:00', '2026-11-01T05:30', '2026-11-01T07:00', '2026-11-01T07:30']);
  });

  it('skips the missing hour in Berlin', async () => {
    // 2026-03-29: clocks in Berlin jump from 02:00 CET to 03:00 CEST.
    const slots = await cronSlots('*/30 * * * *', 'Europe/Berlin', '2026-03-29T00:10:00Z', 1.5);

    expect(slots).toEqual(['2026-03-29T00:30', '2026-03-29T01:00', '2026-03-29T01:30']);
  });

  it('runs each repeated local time once in Berlin', async () => {
    // 2026-10-25: clocks in Berlin fall back from 03:00 CEST to 02:00 CET, so 02:00 to 02:59 happens twice.
    const slots = await cronSlots('*/30 * * * *', 'Europe/Berlin', '2026-10-24T23:40:00Z', 2.5);

    expect(slots).toEqual(['2026-10-25T00:00', '2026-10-25T00:30', '2026-10-25T02:00']);
  });

  it('runs a daily slot in the skipped hour once, right after the change', async () => {
    const slots = await cronSlots('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 48);

    expect(slots).toEqual(['2026-03-08T07:00', '2026-03-09T06:30']);
  });

  it('runs a daily slot in the repeated hour once', async () => {
    const slots = await cronSlots('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 48);

    expect(slots).toEqual(['2026-11-01T05:30', '2026-11-02T06:30']);
  });

  it('defaults to UTC and does not run at start', async () => {
    const slots = await cronSlots('0 * * * *', 'UTC', '2026-06-01T10:15:00Z', 2);

    expect(slots).toEqual(['2026-06-01T11:00', '2026-06-01T12:00']);
  });
});

describe('cron validation', () => {
  const pipeline = () => new Pipeline(listSource(null), memoryDestination());

  it('rejects an invalid expression with a code', () => {
    expect(() => pipeline().setSchedule('61 * * * *')).toThrow(expect.objectContaining({ code: 'DELTAV_INVALID_OPTION' }));
    expect(() => pipeline().setSchedule('every hour')).toThrow(/Invalid cron expression "every hour"/);
  });

  it('rejects an unknown time zone', () => {
    expect(() => pipeline().setSchedule('0 * * * *', { timezone: 'Mars/Olympus' })).toThrow(/Invalid time zone "Mars\/Olympus"/);
  });

  it('rejects a time zone without cron', () => {
    expect(() => new Pipeline(listSource(null), memoryDestination(), { timezone: 'UTC' })).toThrow(/timezone is set without cron/);
  });
});
