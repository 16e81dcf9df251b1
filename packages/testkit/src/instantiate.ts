import {
  assertCompatiblePlugin,
  DeltavError,
  ErrorCodes,
  validatePluginOptions,
  type PluginDefinition,
  type PluginInput,
} from '@deltav/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** Any definition made by `defineSource` or `defineDestination`, whatever its option types. */
interface AnyDefinition {
  readonly kind: 'source' | 'destination';
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- option types vary by plugin
  readonly schema?: StandardSchemaV1<any, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- option types vary by plugin
  create(options: any): unknown;
}
type InstanceOf<Definition> = Definition extends { create(options: never): infer Instance } ? Instance : never;

/**
 * Builds a plugin instance the way the runner does: checks the contract version,
 * validates `options` with the plugin's schema, then calls `create` with the result.
 * Rejects with a `DELTAV_INVALID_OPTION` error that lists every issue.
 */
export async function instantiate<Definition extends AnyDefinition>(definition: Definition, options: PluginInput<Definition>): Promise<InstanceOf<Definition>> {
  assertCompatiblePlugin(definition as unknown as PluginDefinition);

  const validated = await validatePluginOptions(definition as { schema?: never }, options);
  if (validated.issues !== undefined) {
    const lines = validated.issues.map((issue) => `${issue.path.length === 0 ? 'options' : issue.path.join('.')}: ${issue.message}`);
    throw new DeltavError(ErrorCodes.INVALID_OPTION, `Invalid options for plugin "${definition.name}": ${lines.join('; ')}.`);
  }
  return (definition.create as (options: unknown) => InstanceOf<Definition>)(validated.value);
}
