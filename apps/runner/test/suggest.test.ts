import { describe, expect, it } from 'vitest';
import { knownKeysAt, suggestKey } from '../src/config/suggest.js';

describe('suggestKey', () => {
  it.each([
    ['intervall', 'interval'],
    ['timout', 'timeout'],
    ['Schedule', 'schedule'],
    ['destinaton', 'destination'],
  ])('suggests %s as %s', (typed, expected) => {
    expect(suggestKey(typed, ['interval', 'timeout', 'schedule', 'source', 'destination'])).toBe(expected);
  });

  it('suggests nothing for a distant key', () => {
    expect(suggestKey('backoff', ['maxAttempts', 'initialDelay', 'multiplier'])).toBeUndefined();
    expect(suggestKey('x', [])).toBeUndefined();
  });
});

describe('knownKeysAt', () => {
  const schema = {
    properties: {
      pipelines: { items: { properties: { name: {}, retry: { properties: { maxAttempts: {} } } } } },
    },
  };

  it('follows properties and items', () => {
    expect(knownKeysAt(schema, [])).toEqual(['pipelines']);
    expect(knownKeysAt(schema, ['pipelines', 0])).toEqual(['name', 'retry']);
    expect(knownKeysAt(schema, ['pipelines', 3, 'retry'])).toEqual(['maxAttempts']);
  });

  it('returns nothing for an unknown path', () => {
    expect(knownKeysAt(schema, ['metrics'])).toEqual([]);
    expect(knownKeysAt(undefined, ['a'])).toEqual([]);
  });
});
