import { describe, expect, it } from 'vitest';
import { parseConfig, parseDuration, parseSize, planReload, resolveSettings, type PipelineSpec } from '../src/index.js';

function settingsOf(lines: string[]) {
  const loaded = parseConfig(lines.join('\n'), { env: {} });
  expect(loaded.issues).toEqual([]);
  return loaded.config!.pipelines.map((entry) => resolveSettings(loaded.config!, entry));
}

const plugins = ['    source: { use: http, with: { url: "http://127.0.0.1:1/" } }', '    destination: { use: file, with: { path: out } }'];

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['1d', 86_400_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', '5 minutes', '', 'm5', '1h 30m'])('rejects "%s"', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseSize', () => {
  it.each([
    ['64MiB', 67_108_864],
    ['512KiB', 524_288],
    ['10MB', 10_000_000],
    ['1GiB', 1_073_741_824],
    ['1.5kB', 1500],
    ['100B', 100],
  ])('%s is %i bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['64', '64 megabytes', 'MiB', '-1MiB'])('rejects "%s"', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});

describe('resolveSettings', () => {
  it('applies defaults under pipeline keys', () => {
    const [settings] = settingsOf([
      'defaults:',
      '  interval: 5m',
      '  timeout: 30s',
      '  jitter: 2s',
      '  overrun: queue',
      '  maxPayloadSize: 1MiB',
      '  retry: { maxAttempts: 4, initialDelay: 1s, destination: { maxAttempts: 2 } }',
      'pipelines:',
      '  - name: p',
      '    timeout: 10s',
      '    retry: { maxDelay: 1m, source: { maxAttempts: 9 } }',
      ...plugins,
    ]);

    expect(settings).toEqual({
      options: { name: 'p', intervalMs: 300_000, jitterMs: 2000, timeoutMs: 10_000, overrun: 'queue' },
      retry: {
        source: { maxAttempts: 9, initialDelayMs: 1000, maxDelayMs: 60_000 },
        destination: { maxAttempts: 2, initialDelayMs: 1000, maxDelayMs: 60_000 },
      },
      maxPayloadBytes: 1_048_576,
    });
  });

  it('lets a pipeline interval replace a default schedule', () => {
    const [interval, cron] = settingsOf([
      'defaults:',
      '  schedule: "0 * * * *"',
      '  timezone: Europe/Berlin',
      'pipelines:',
      '  - name: by_interval',
      '    interval: 30s',
      ...plugins,
      '  - name: by_default',
      ...plugins,
    ]);

    expect(interval?.options).toEqual({ name: 'by_interval', intervalMs: 30_000 });
    expect(cron?.options).toEqual({ name: 'by_default', cron: '0 * * * *', timezone: 'Europe/Berlin' });
  });

  it('falls back to one minute', () => {
    const [settings] = settingsOf(['pipelines:', '  - name: p', ...plugins]);

    expect(settings?.options).toEqual({ name: 'p', intervalMs: 60_000 });
  });
});

describe('planReload', () => {
  const spec = (name: string, fingerprint: string) => ({ name, fingerprint }) as PipelineSpec;

  it('sorts pipelines by change', () => {
    const current = new Map([
      ['a', spec('a', '1')],
      ['b', spec('b', '1')],
      ['c', spec('c', '1')],
    ]);

    const plan = planReload(current, [spec('a', '1'), spec('c', '2'), spec('d', '1')]);

    expect(plan.added.map((entry) => entry.name)).toEqual(['d']);
    expect(plan.removed).toEqual(['b']);
    expect(plan.changed.map((entry) => entry.name)).toEqual(['c']);
    expect(plan.unchanged).toEqual(['a']);
  });
});
