import { validatePluginOptions } from '@deltav/core';
import { describe, expect, it } from 'vitest';
import { FileDestination, fileDestination } from '../src/index.js';

const invalid = (message: string) => expect.objectContaining({ code: 'DELTAV_FILE_INVALID_OPTION', message: expect.stringContaining(message) });

describe('options', () => {
  it.each([
    ['an empty path', { path: '' }, 'path: expected a non-empty file path'],
    ['an unknown mode', { path: 'a', mode: 'rewrite' }, 'mode:'],
    ['an unknown time zone', { path: 'a', timeZone: 'Mars/Olympus' }, 'timeZone: expected an IANA time zone name'],
    ['an unknown fsync policy', { path: 'a', fsync: 'sometimes' }, 'fsync:'],
    ['a too short fsync interval', { path: 'a', fsync: 'interval', fsyncIntervalMs: 1 }, 'fsyncIntervalMs: expected at least 10 milliseconds'],
    ['a mode above 0o7777', { path: 'a', fileMode: 0o10000 }, 'fileMode: expected permission bits from 0 to 0o7777'],
    ['a non-octal mode string', { path: 'a', dirMode: '0789' }, 'dirMode: expected permission bits from 0 to 0o7777, as a number or an octal string such as "0644"'],
    ['rotation without a trigger', { path: 'a', mode: 'append', rotation: { gzip: true } }, 'rotation: expected maxBytes, intervalMs or both'],
    ['a rotation interval below 1 s', { path: 'a', mode: 'append', rotation: { intervalMs: 10 } }, 'rotation.intervalMs: expected at least 1000 milliseconds'],
    ['a negative keep', { path: 'a', mode: 'append', rotation: { maxBytes: 10, keep: -1 } }, 'rotation.keep:'],
    ['rotation outside append mode', { path: 'a', rotation: { maxBytes: 10 } }, 'rotation: applies to mode "append" only, but mode is "overwrite"'],
    ['a delimiter outside append mode', { path: 'a', mode: 'unique', delimiter: ',' }, 'delimiter: applies to mode "append" only, but mode is "unique"'],
    ['an unknown option', { path: 'a', flush: true }, 'flush'],
  ])('rejects %s', (_case, options, message) => {
    expect(() => new FileDestination(options as never)).toThrow(invalid(message));
  });

  it('reports every problem at once', () => {
    expect(() => new FileDestination({ path: '', fsync: 'sometimes' } as never)).toThrow(invalid('path: expected a non-empty file path; fsync:'));
  });

  it('resolves a relative path', () => {
    expect(new FileDestination('out/latest.json').path).toBe(`${process.cwd()}/out/latest.json`);
    expect(new FileDestination({ path: 'out/{pipeline}.json', baseDir: '/srv/data' }).path).toBe('/srv/data/out/{pipeline}.json');
  });

  it('validates runner configs with the plugin schema', async () => {
    const config = {
      path: 'logs/{pipeline}/%Y-%m-%d.ndjson',
      mode: 'append',
      baseDir: '/var/lib/deltav',
      timeZone: 'Europe/Berlin',
      delimiter: '\n',
      rotation: { maxBytes: 10_485_760, intervalMs: 86_400_000, keep: 7, gzip: true },
      fsync: 'interval',
      fsyncIntervalMs: 2000,
      fileMode: '0640',
      dirMode: 0o750,
    };

    const accepted = await validatePluginOptions(fileDestination, config);
    const rejected = await validatePluginOptions(fileDestination, { path: 'x', rotation: { maxBytes: 0 } });

    expect(accepted).toEqual({ value: { ...config, fileMode: 0o640 } });
    expect(rejected.issues?.map((issue) => issue.path.join('.'))).toEqual(['rotation.maxBytes', 'rotation']);
    expect(fileDestination.create(accepted.value!)).toBeInstanceOf(FileDestination);
  });
});
