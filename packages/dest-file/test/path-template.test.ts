import { describe, expect, it } from 'vitest';
import { PathTemplate, toPathSegment } from '../src/path-template.js';

const time = new Date(Date.UTC(2024, 2, 9, 14, 5, 7, 42));
const values = { pipeline: 'orders', runId: 'r-17', time };

describe('path template', () => {
  it('fills UTC time fields', () => {
    const template = new PathTemplate('/data/%Y/%m/%d/%H%M%S.%L-%j-%y-%F%z-%s-%%.json', 'UTC');

    expect(template.render(values)).toBe('/data/2024/03/09/140507.042-069-24-2024-03-09+0000-1709993107-%.json');
  });

  it('fills fields in a named time zone', () => {
    expect(new PathTemplate('%F %H:%M %z', 'Asia/Kolkata').render(values)).toBe('2024-03-09 19:35 +0530');
    expect(new PathTemplate('%F %H:%M %z', 'America/New_York').render(values)).toBe('2024-03-09 09:05 -0500');
    expect(new PathTemplate('%F %H:%M %z', 'Pacific/Kiritimati').render(values)).toBe('2024-03-10 04:05 +1400');
  });

  it('follows daylight saving time', () => {
    const summer = { ...values, time: new Date(Date.UTC(2024, 6, 1, 12, 0, 0)) };

    expect(new PathTemplate('%H %z', 'Europe/Berlin').render(values)).toBe('15 +0100');
    expect(new PathTemplate('%H %z', 'Europe/Berlin').render(summer)).toBe('14 +0200');
  });

  it('counts the day of a leap year', () => {
    const lastDay = { ...values, time: new Date(Date.UTC(2024, 11, 31, 23, 0, 0)) };

    expect(new PathTemplate('%j', 'UTC').render(lastDay)).toBe('366');
  });

  it('fills pipeline and run id', () => {
    const template = new PathTemplate('/out/{pipeline}/{runId}.json', 'UTC');

    expect(template.render(values)).toBe('/out/orders/r-17.json');
    expect(template.isDynamic).toBe(true);
    expect(new PathTemplate('/out/plain.json', 'UTC').isDynamic).toBe(false);
  });

  it('keeps placeholder values inside one segment', () => {
    expect(toPathSegment('../../etc')).toBe('.._.._etc');
    expect(toPathSegment('..')).toBe('__');
    expect(toPathSegment('.')).toBe('_');
    expect(toPathSegment('')).toBe('_');
    expect(toPathSegment('a/b\\c d')).toBe('a_b_c_d');
    expect(new PathTemplate('/out/{pipeline}.log', 'UTC').render({ ...values, pipeline: '../../etc/passwd' })).toBe('/out/.._.._etc_passwd.log');
  });

  it('rejects an unknown time field', () => {
    expect(() => new PathTemplate('/out/%Q.log', 'UTC')).toThrow(expect.objectContaining({ code: 'DELTAV_FILE_INVALID_OPTION', message: expect.stringContaining('"%Q"') }));
    expect(() => new PathTemplate('/out/100%', 'UTC')).toThrow(expect.objectContaining({ code: 'DELTAV_FILE_INVALID_OPTION' }));
  });

  it('rejects an unknown placeholder', () => {
    expect(() => new PathTemplate('/out/{pipline}.log', 'UTC')).toThrow(
      expect.objectContaining({ code: 'DELTAV_FILE_INVALID_OPTION', message: expect.stringContaining('"{pipline}"') }),
    );
    expect(() => new PathTemplate('/out/{pipeline.log', 'UTC')).toThrow(expect.objectContaining({ code: 'DELTAV_FILE_INVALID_OPTION' }));
  });
});
