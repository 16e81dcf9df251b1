import { describe, expect, it } from 'vitest';
import { SampleBuffer, median, quantile, summarize } from '../src/harness/stats.js';

describe('quantile', () => {
  const sorted = Float64Array.from({ length: 100 }, (_, index) => index + 1);

  it('returns nearest-rank samples', () => {
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile(sorted, 0.99)).toBe(99);
    expect(quantile(sorted, 1)).toBe(100);
    expect(quantile(sorted, 0)).toBe(1);
  });

  it('returns NaN without samples', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts unsorted samples', () => {
    expect(summarize([5, 1, 4, 2, 3])).toEqual({ count: 5, p50: 3, p99: 5, max: 5, mean: 3 });
  });

  it('median of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
  });
});

describe('SampleBuffer', () => {
  it('counts samples past capacity', () => {
    const buffer = new SampleBuffer(2);
    buffer.push(3);
    buffer.push(1);
    buffer.push(2);
    expect(buffer.length).toBe(2);
    expect(buffer.dropped).toBe(1);
    expect(buffer.summarize()).toEqual({ count: 2, p50: 1, p99: 3, max: 3, mean: 2 });
  });
});
