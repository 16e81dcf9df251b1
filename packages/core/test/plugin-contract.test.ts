import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  PLUGIN_CONTRACT_VERSION,
  assertCompatiblePlugin,
  defineDestination,
  defineSource,
  isPluginDefinition,
  validatePluginOptions,
  type PluginDefinition,
  type PluginInput,
  type PluginOptions,
  type Source,
} from '../src/index.js';

class TickSource implements Source {
  constructor(readonly options: { every: number; label: string }) {}
  async fetch() {
    return { body: this.options.label };
  }
}

const tickSource = defineSource({
  name: 'tick',
  schema: z.strictObject({ every: z.number(), label: z.string().default('tick') }),
  create: (options) => new TickSource(options),
});

function stamped(contract: unknown): PluginDefinition {
  return { ...tickSource, contract } as unknown as PluginDefinition;
}

describe('defineSource', () => {
  it('stamps kind and contract version', () => {
    expect(tickSource.kind).toBe('source');
    expect(tickSource.contract).toBe(PLUGIN_CONTRACT_VERSION);
    expect(Object.isFrozen(tickSource)).toBe(true);
    expect(isPluginDefinition(tickSource)).toBe(true);
  });

  it('infers options, input and instance types', () => {
    expectTypeOf<PluginOptions<typeof tickSource>>().toEqualTypeOf<{ every: number; label: string }>();
    expectTypeOf<PluginInput<typeof tickSource>>().toEqualTypeOf<{ every: number; label?: string | undefined }>();
    expectTypeOf(tickSource.create).returns.toEqualTypeOf<TickSource>();
  });

  it('rejects a spec without create', () => {
    expect(() => defineSource({ name: 'broken' } as never)).toThrow(
      expect.objectContaining({ code: 'DELTAV_INVALID_PLUGIN', message: 'Invalid plugin definition: expected { name: string, create(options) }, received an object (Object).' }),
    );
  });

  it('rejects a jsonSchema that is no function', () => {
    expect(() => defineDestination({ name: 'broken', jsonSchema: {} as never, create: () => ({ write: async () => {} }) })).toThrow(
      expect.objectContaining({ code: 'DELTAV_INVALID_PLUGIN', message: expect.stringContaining('jsonSchema must be a function of the JSON Schema target') }),
    );
  });
});

describe('validatePluginOptions', () => {
  it('returns normalized options', async () => {
    expect(await validatePluginOptions(tickSource, { every: 5 })).toEqual({ value: { every: 5, label: 'tick' } });
  });

  it('returns issues with key paths', async () => {
    const result = await validatePluginOptions(tickSource, { every: 'often', colour: 'red' });

    expect(result.issues).toEqual([
      { path: ['every'], message: 'Invalid input: expected number, received string' },
      { path: [], message: 'Unrecognized key: "colour"' },
    ]);
  });
});

describe('assertCompatiblePlugin', () => {
  it('accepts the current contract', () => {
    expect(() => assertCompatiblePlugin(tickSource as unknown as PluginDefinition)).not.toThrow();
  });

  it('rejects a newer contract', () => {
    expect(() => assertCompatiblePlugin(stamped(PLUGIN_CONTRACT_VERSION + 1))).toThrow(
      expect.objectContaining({
        code: 'DELTAV_INVALID_PLUGIN',
        message: `Plugin "tick" was built for deltav plugin contract ${PLUGIN_CONTRACT_VERSION + 1}, but this @deltav/core implements contract ${PLUGIN_CONTRACT_VERSION}. Upgrade @deltav/core (and the deltav runner) to a release that implements contract ${PLUGIN_CONTRACT_VERSION + 1}, or install an older release of the plugin.`,
      }),
    );
  });

  it('rejects an older contract', () => {
    expect(() => assertCompatiblePlugin(stamped(0))).toThrow(
      expect.objectContaining({
        code: 'DELTAV_INVALID_PLUGIN',
        message: `Plugin "tick" was built for deltav plugin contract 0, but this @deltav/core implements contract ${PLUGIN_CONTRACT_VERSION}. Upgrade the plugin to a release built for contract ${PLUGIN_CONTRACT_VERSION}.`,
      }),
    );
  });

  it('rejects a missing contract', () => {
    expect(() => assertCompatiblePlugin(stamped(undefined))).toThrow(
      expect.objectContaining({
        code: 'DELTAV_INVALID_PLUGIN',
        message:
          'Plugin "tick" declares no valid deltav plugin contract version (received undefined). Build it with defineSource or defineDestination from @deltav/core, which set the version.',
      }),
    );
  });
});
