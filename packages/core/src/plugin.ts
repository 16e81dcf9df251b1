import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import type { Destination, Source } from './contracts.js';
import { DeltavError, ErrorCodes } from './errors.js';
import { describe } from './payload.js';

/**
 * The plugin contract this copy of `@deltav/core` implements: the shapes of `Source`,
 * `Destination`, `RunContext`, `Payload` and of the plugin definition itself. It grows by
 * one only on a breaking change to one of them; additions that old plugins can ignore
 * keep the number. `defineSource` and `defineDestination` stamp it on every definition,
 * and `assertCompatiblePlugin` rejects a definition stamped with another number.
 */
export const PLUGIN_CONTRACT_VERSION = 1;

/** A JSON Schema dialect, as the Standard JSON Schema interface names it. */
export type JsonSchemaTarget = StandardJSONSchemaV1.Target;

/** Renders a plugin's options as a JSON Schema document of the requested dialect. */
export type JsonSchemaRenderer = (target: JsonSchemaTarget) => Record<string, unknown>;

interface PluginDefinitionBase<Kind extends 'source' | 'destination', Options, Instance, Input> {
  readonly kind: Kind;
  /** The contract version the plugin was built for. */
  readonly contract: number;
  /** A short name, such as `http`, used in messages. */
  readonly name: string;
  /** Validates and normalizes options; any Standard Schema library works (zod, valibot, arktype). */
  readonly schema?: StandardSchemaV1<Input, Options>;
  /** Renders the options as JSON Schema when the schema library cannot; see `pluginJsonSchema`. */
  readonly jsonSchema?: JsonSchemaRenderer;
  /** Builds an instance from options that already passed `schema`. */
  create(options: Options): Instance;
}

export type SourceDefinition<Options = unknown, Instance extends Source = Source, Input = Options> = PluginDefinitionBase<
  'source',
  Options,
  Instance,
  Input
>;
export type DestinationDefinition<Options = unknown, Instance extends Destination = Destination, Input = Options> = PluginDefinitionBase<
  'destination',
  Options,
  Instance,
  Input
>;
export type PluginDefinition = SourceDefinition<never> | DestinationDefinition<never>;

/** The options a plugin's factory receives, after its schema validated and normalized them. */
export type PluginOptions<Definition> = Definition extends PluginDefinitionBase<'source' | 'destination', infer Options, unknown, unknown> ? Options : never;

/** The options as a user writes them in code or in a config file, before the schema fills defaults. */
export type PluginInput<Definition> = Definition extends PluginDefinitionBase<'source' | 'destination', unknown, unknown, infer Input> ? Input : never;

/** The plugin description that `defineSource` and `defineDestination` take. */
export interface PluginSpec<Options, Instance, Input = Options> {
  /** A short name, such as `http`, used in messages. */
  name: string;
  /** Validates and normalizes options. Zod 4, valibot and arktype schemas are Standard Schemas. */
  schema?: StandardSchemaV1<Input, Options>;
  /**
   * Renders the options as JSON Schema. Leave it out when `schema` implements Standard
   * JSON Schema (zod 4.2 and later do); give it for a schema library that does not.
   */
  jsonSchema?: JsonSchemaRenderer;
  /** Builds an instance from validated options. Called once per pipeline. */
  create(options: Options): Instance;
}

/** Bundles a source plugin's name, options schema and factory, stamped with the contract version. */
export function defineSource<Options, Instance extends Source = Source, Input = Options>(
  spec: PluginSpec<Options, Instance, Input>,
): SourceDefinition<Options, Instance, Input> {
  return Object.freeze({ kind: 'source', contract: PLUGIN_CONTRACT_VERSION, ...checkSpec(spec) });
}

/** Bundles a destination plugin's name, options schema and factory, stamped with the contract version. */
export function defineDestination<Options, Instance extends Destination = Destination, Input = Options>(
  spec: PluginSpec<Options, Instance, Input>,
): DestinationDefinition<Options, Instance, Input> {
  return Object.freeze({ kind: 'destination', contract: PLUGIN_CONTRACT_VERSION, ...checkSpec(spec) });
}

/** Tests whether a value is a plugin definition from any copy of `@deltav/core`. */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<PluginDefinition>;
  return (candidate.kind === 'source' || candidate.kind === 'destination') && typeof candidate.create === 'function' && typeof candidate.name === 'string';
}

/**
 * Rejects a plugin built for another contract version with a `DELTAV_INVALID_PLUGIN`
 * error whose message names the side to upgrade.
 */
export function assertCompatiblePlugin(definition: PluginDefinition): void {
  const { contract, name } = definition as { contract?: unknown; name: string };
  if (contract === PLUGIN_CONTRACT_VERSION) return;

  if (typeof contract !== 'number' || !Number.isInteger(contract)) {
    throw new DeltavError(
      ErrorCodes.INVALID_PLUGIN,
      `Plugin "${name}" declares no valid deltav plugin contract version (received ${describe(contract)}). Build it with defineSource or defineDestination from @deltav/core, which set the version.`,
    );
  }

  const fix =
    contract > PLUGIN_CONTRACT_VERSION
      ? `Upgrade @deltav/core (and the deltav runner) to a release that implements contract ${contract}, or install an older release of the plugin.`
      : `Upgrade the plugin to a release built for contract ${PLUGIN_CONTRACT_VERSION}.`;
  throw new DeltavError(
    ErrorCodes.INVALID_PLUGIN,
    `Plugin "${name}" was built for deltav plugin contract ${contract}, but this @deltav/core implements contract ${PLUGIN_CONTRACT_VERSION}. ${fix}`,
  );
}

/**
 * Renders a plugin's options as JSON Schema for editors and `deltav schema`: the input
 * side, because that is what users write. Uses the definition's `jsonSchema` renderer,
 * else the schema's Standard JSON Schema converter. Returns `undefined` when the plugin
 * offers neither, or has no schema.
 */
export function pluginJsonSchema(
  definition: { name: string; schema?: StandardSchemaV1; jsonSchema?: JsonSchemaRenderer },
  target: JsonSchemaTarget = 'draft-2020-12',
): Record<string, unknown> | undefined {
  if (definition.jsonSchema !== undefined) return definition.jsonSchema(target);

  const converter = (definition.schema?.['~standard'] as Partial<StandardJSONSchemaV1.Props> | undefined)?.jsonSchema;
  if (converter === undefined || typeof converter.input !== 'function') return undefined;
  return converter.input({ target });
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

function checkSpec<Options, Instance, Input>(spec: PluginSpec<Options, Instance, Input>): PluginSpec<Options, Instance, Input> {
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string' || spec.name === '' || typeof spec.create !== 'function') {
    throw new DeltavError(
      ErrorCodes.INVALID_PLUGIN,
      `Invalid plugin definition: expected { name: string, create(options) }, received ${describe(spec)}.`,
    );
  }
  if (spec.jsonSchema !== undefined && typeof spec.jsonSchema !== 'function') {
    throw new DeltavError(
      ErrorCodes.INVALID_PLUGIN,
      `Invalid plugin definition "${spec.name}": jsonSchema must be a function of the JSON Schema target, received ${describe(spec.jsonSchema)}.`,
    );
  }
  return {
    name: spec.name,
    ...(spec.schema === undefined ? {} : { schema: spec.schema }),
    ...(spec.jsonSchema === undefined ? {} : { jsonSchema: spec.jsonSchema }),
    create: spec.create,
  };
}
