import { describe, expect, it } from 'vitest';
import { checkOptions, optionsChecks, type CheckResult } from '../src/index.js';
import {
  futureDefinition,
  goodDefinition,
  incompleteJsonSchemaDefinition,
  looseDefinition,
  schemalessDefinition,
  vagueDefinition,
} from './fixtures/broken-options.js';

const valid = { path: '/var/log/app.log', limit: 10, follow: true };

function outcome(results: CheckResult[], id: string): [string, string | undefined] {
  const result = results.find((candidate) => candidate.id === id)!;
  return [result.status, result.message];
}

describe('options checks', () => {
  it('pass a strict zod schema', async () => {
    const results = await checkOptions({ definition: goodDefinition, valid });

    expect(results.map((result) => [result.id, result.status])).toEqual(optionsChecks.map((check) => [check.id, 'pass']));
  });

  it('fail on a definition for another contract', async () => {
    expect(outcome(await checkOptions({ definition: futureDefinition, valid }), 'definition')).toEqual([
      'fail',
      'Plugin "good" was built for deltav plugin contract 2, but this @deltav/core implements contract 1. Upgrade @deltav/core (and the deltav runner) to a release that implements contract 2, or install an older release of the plugin.',
    ]);
  });

  it('fail on a value that is no definition', async () => {
    expect(outcome(await checkOptions({ definition: { name: 'plain object' } as never, valid }), 'definition')).toEqual([
      'fail',
      'invalid plugin definition: expected an object made by defineSource or defineDestination from @deltav/core.',
    ]);
  });

  it('fail on a missing schema', async () => {
    const results = await checkOptions({ definition: schemalessDefinition, valid });

    expect(outcome(results, 'definition')).toEqual([
      'fail',
      'plugin "schemaless" has no options schema; pass schema to defineSource or defineDestination so bad options fail before a run.',
    ]);
    expect(outcome(results, 'rejects-wrong-types')).toEqual(['skip', 'the plugin has no schema']);
  });

  it('fail when valid options are rejected', async () => {
    expect(outcome(await checkOptions({ definition: vagueDefinition, valid }), 'accepts-valid')).toEqual([
      'fail',
      'the schema rejected the valid options: (options): invalid options.',
    ]);
  });

  it('fail when a wrong type passes', async () => {
    expect(outcome(await checkOptions({ definition: looseDefinition, valid }), 'rejects-wrong-types')).toEqual([
      'fail',
      'the schema accepted the wrong type 12345 for "path"; it must reject it.',
    ]);
  });

  it('fail when no issue names the key', async () => {
    const results = await checkOptions({ definition: vagueDefinition, valid });

    expect(outcome(results, 'rejects-wrong-types')).toEqual([
      'fail',
      'the schema rejected the wrong type 12345 for "path", but no issue names "path" in its path or message: (options): invalid options.',
    ]);
    expect(outcome(results, 'rejects-unknown-keys')).toEqual([
      'fail',
      'the schema rejected the unknown key "notAnOption", but no issue names "notAnOption" in its path or message: (options): invalid options.',
    ]);
  });

  it('fail when an unknown key passes', async () => {
    expect(outcome(await checkOptions({ definition: looseDefinition, valid, unknownKey: 'colour' }), 'rejects-unknown-keys')).toEqual([
      'fail',
      'the schema accepted the unknown key "colour"; it must reject it.',
    ]);
  });

  it('fail without a JSON Schema', async () => {
    expect(outcome(await checkOptions({ definition: looseDefinition, valid }), 'json-schema')).toEqual([
      'fail',
      'the options cannot be rendered as JSON Schema: the schema implements no Standard JSON Schema converter. Use a library that does (zod 4.2 or later), or pass jsonSchema to defineSource or defineDestination.',
    ]);
  });

  it('fail on a JSON Schema missing options', async () => {
    const results = await checkOptions({ definition: incompleteJsonSchemaDefinition, valid: { path: '/var/log/app.log', limit: 10 } });

    expect(outcome(results, 'json-schema')).toEqual(['fail', 'the JSON Schema does not list "limit" under properties, so editors cannot complete it.']);
  });

  it('use the given wrong-type cases', async () => {
    const results = await checkOptions({ definition: looseDefinition, valid, wrongTypes: [{ key: 'limit', value: -1 }] });

    expect(outcome(results, 'rejects-wrong-types')).toEqual(['fail', 'the schema accepted the wrong type -1 for "limit"; it must reject it.']);
  });
});
