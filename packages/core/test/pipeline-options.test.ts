import { describe, expect, it } from 'vitest';
import { Pipeline } from '../src/index.js';
import { listSource, memoryDestination } from './helpers.js';

const make = () => new Pipeline(listSource(null), memoryDestination());

describe('pipeline options', () => {
  it.each([
    ['negative', -5],
    ['zero', 0],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
    ['string', '30s'],
  ])('rejects a %s interval', (_label, value) => {
    expect(() => make().setInterval(value as number)).toThrow(expect.objectContaining({ code: 'DELTAV_INVALID_OPTION' }));
  });

  it('names the bad value in the message', () => {
    expect(() => make().setName('p').setInterval(-5)).toThrow(/interval: -5 ms is outside/);
  });

  it('rejects names unsafe for labels and paths', () => {
    expect(() => make().setName('a/b')).toThrow(expect.objectContaining({ code: 'DELTAV_INVALID_OPTION' }));
    expect(() => make().setName('')).toThrow(expect.objectContaining({ code: 'DELTAV_INVALID_OPTION' }));
  });

  it('chains setters', () => {
    const pipeline = make().setName('p').setInterval(30_000).enableDebugPayload(true);

    expect(pipeline.name).toBe('p');
    expect(pipeline.intervalMs).toBe(30_000);
    expect(pipeline.debugPayload).toBe(true);
  });

  it('rejects a source without fetch', () => {
    expect(() => new Pipeline({} as never, memoryDestination())).toThrow(/expected an object with a fetch\(context\) method/);
  });
});
