import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Destination, Source } from './contracts.js';
import { DeltavError, ErrorCodes } from './errors.js';
import { describe } from './payload.js';

/** The plugin contract this copy of `@deltav/core` implements. */
export const PLUGIN_CONTRACT_VERSION = 1;

interface PluginDefinitionBase<Kind extends 'source' | 'destination', Options, Instance> {
  readonly kind: Kind;
  /** The contract the plugin was built for. */
  readonly contract: number;
  /** A short name, such as `http`. */
  readonly name: string;
  /** Validates and normalizes options; any Standard Schema library works (zod, valibot, arktype). */
  readonly schema?: StandardSchemaV1<unknown, Options>;
  create(options: Options): Instance;
}

export type SourceDefinition<Options = unknown> = PluginDefinitionBase<'source', Options, Source>;
export type DestinationDefinition<Options = unknown> = PluginDefinitionBase<'destination', Options, Destination>;
export type PluginDefinition = SourceDefinition<never> | DestinationDefinition<never>;

export interface PluginSpec<Options, Instance> {
  name: string;
  schema?: StandardSchemaV1<unknown, Options>;
  create(options: Options): Instance;
}

/** Bundles a source plugin's name, options schema and factory. */
export function defineSource<Options>(spec: PluginSpec<Options, Source>): SourceDefinition<Options> {
  return Object.freeze({ kind: 'source', contract: PLUGIN_CONTRACT_VERSION, ...checkSpec(spec) });
}

/** Bundles a destination plugin's name, options schema and factory. */
export function defineDestination<Options>(spec: PluginSpec<Options, Destination>): DestinationDefinition<Options> {
  return Object.freeze({ kind: 'destination', contract: PLUGIN_CONTRACT_VERSION, ...checkSpec(spec) });
}

/** Tests whether a value is a plugin definition from any copy of `@deltav/core`. */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<PluginDefinition>;
  return (candidate.kind === 'source' || candidate.kind === 'destination') && typeof candidate.create === 'function' && typeof candidate.name === 'string';
}

/** Rejects a plugin built for another contract version, with a message that says what to do. */
export function assertCompatiblePlugin(definition: PluginDefinition): void {
  if (definition.contract !== PLUGIN_CONTRACT_VERSION) {
    throw new DeltavError(
      ErrorCodes.INVALID_PLUGIN,
      `Plugin "${definition.name}" was built for deltav plugin contract ${String(definition.contract)}, but this @deltav/core implements contract ${PLUGIN_CONTRACT_VERSION}. Install a version of the plugin built for contract ${PLUGIN_CONTRACT_VERSION}.`,
    );
  }
}

/** One problem with plugin options: the key path inside the options, and what is wrong. */
export interface PluginOptionIssue {
  path: Array<string | number>;
  message: string;
}

/** Validates plugin options with the plugin's schema and returns the normalized value or the issues. */
export async function validatePluginOptions<Options>(
  definition: { schema?: StandardSchemaV1<unknown, Options> },
  options: unknown,
): Promise<{ value: Options; issues?: undefined } | { value?: undefined; issues: ReadonlyArray<PluginOptionIssue> }> {
  if (definition.schema === undefined) return { value: options as Options };

  const result = await definition.schema['~standard'].validate(options);
  if (result.issues === undefined) return { value: result.value };
  return {
    issues: result.issues.map((issue) => ({ path: pathSegments(issue.path), message: issue.message })),
  };
}

function pathSegments(path: StandardSchemaV1.Issue['path']): Array<string | number> {
  if (path === undefined) return [];
  return path.map((segment) => {
    const key = typeof segment === 'object' ? segment.key : segment;
    return typeof key === 'number' ? key : String(key);
  });
}

function checkSpec<Options, Instance>(spec: PluginSpec<Options, Instance>): PluginSpec<Options, Instance> {
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string' || spec.name === '' || typeof spec.create !== 'function') {
    throw new DeltavError(
      ErrorCodes.INVALID_PLUGIN,
      `Invalid plugin definition: expected { name: string, create(options) }, received ${describe(spec)}.`,
    );
  }
  return { name: spec.name, ...(spec.schema === undefined ? {} : { schema: spec.schema }), create: spec.create };
}
