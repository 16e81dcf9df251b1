import { assertCompatiblePlugin, isPluginDefinition, pluginJsonSchema, validatePluginOptions, type PluginDefinition, type PluginOptionIssue } from '@deltav/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { registerChecks, runChecks, type Check, type CheckResult, type TestRegistrar } from './checks.js';
import { ConformanceError } from './errors.js';

/** One options object that the schema must reject because `key` contains `value`. */
export interface WrongTypeCase {
  key: string;
  value: unknown;
}

/** Input of the options checks. */
export interface OptionsConformanceOptions {
  /** The definition made with `defineSource` or `defineDestination`. */
  definition: {
    readonly kind: 'source' | 'destination';
    readonly name: string;
    readonly contract: number;
    readonly schema?: StandardSchemaV1;
    readonly jsonSchema?: unknown;
    create(options: never): unknown;
  };
  /** Options the schema accepts. Every key is also tested with a value of the wrong type. */
  valid: Record<string, unknown>;
  /**
   * The wrong-type cases to test.
   * @default one case per key of `valid`: a number where it contains a string, a string otherwise
   */
  wrongTypes?: WrongTypeCase[];
  /**
   * A key the schema must reject as unknown.
   * @default "notAnOption"
   */
  unknownKey?: string;
}

/** Returns a value of another JSON type than `value`, for the default wrong-type cases. */
export function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'not a boolean';
  if (Array.isArray(value)) return 'not an array';
  return 12345;
}

function formatIssues(issues: ReadonlyArray<PluginOptionIssue>): string {
  return issues.map((issue) => `${issue.path.length === 0 ? '(options)' : issue.path.join('.')}: ${issue.message}`).join('; ');
}

/** Tests whether an issue points at `key` by its path or names it in its message. */
function namesKey(issue: PluginOptionIssue, key: string): boolean {
  return issue.path[0] === key || issue.message.includes(key);
}

async function expectRejectionNaming(check: string, options: OptionsConformanceOptions, input: Record<string, unknown>, key: string, what: string): Promise<void> {
  const result = await validatePluginOptions(options.definition, input);
  if (result.issues === undefined) {
    throw new ConformanceError(check, `the schema accepted ${what}; it must reject it.`);
  }
  if (!result.issues.some((issue) => namesKey(issue, key))) {
    throw new ConformanceError(check, `the schema rejected ${what}, but no issue names "${key}" in its path or message: ${formatIssues(result.issues)}.`);
  }
}

/** Returns a skip reason when the plugin has no schema: the `definition` check reports that instead. */
function withoutSchema({ definition }: OptionsConformanceOptions): string | undefined {
  return definition.schema === undefined ? 'the plugin has no schema' : undefined;
}

const definitionCheck: Check<OptionsConformanceOptions> = {
  id: 'definition',
  title: 'definition is valid for this contract and has a schema',
  run: async ({ definition }) => {
    if (!isPluginDefinition(definition)) {
      throw new ConformanceError('definition', 'invalid plugin definition: expected an object made by defineSource or defineDestination from @deltav/core.');
    }
    try {
      assertCompatiblePlugin(definition as unknown as PluginDefinition);
    } catch (error) {
      throw new ConformanceError('definition', (error as Error).message, { cause: error });
    }
    if (definition.schema === undefined) {
      throw new ConformanceError('definition', `plugin "${definition.name}" has no options schema; pass schema to defineSource or defineDestination so bad options fail before a run.`);
    }
  },
};

const acceptsValid: Check<OptionsConformanceOptions> = {
  id: 'accepts-valid',
  title: 'schema accepts the valid options',
  skipReason: withoutSchema,
  run: async ({ definition, valid }) => {
    const result = await validatePluginOptions(definition, valid);
    if (result.issues !== undefined) {
      throw new ConformanceError('accepts-valid', `the schema rejected the valid options: ${formatIssues(result.issues)}.`);
    }
  },
};

const rejectsWrongTypes: Check<OptionsConformanceOptions> = {
  id: 'rejects-wrong-types',
  title: 'schema rejects wrong types, naming the key',
  skipReason: withoutSchema,
  run: async (options) => {
    const cases = options.wrongTypes ?? Object.entries(options.valid).map(([key, value]) => ({ key, value: wrongTypeFor(value) }));
    for (const { key, value } of cases) {
      await expectRejectionNaming('rejects-wrong-types', options, { ...options.valid, [key]: value }, key, `the wrong type ${JSON.stringify(value)} for "${key}"`);
    }
  },
};

const rejectsUnknownKeys: Check<OptionsConformanceOptions> = {
  id: 'rejects-unknown-keys',
  title: 'schema rejects unknown keys, naming the key',
  skipReason: withoutSchema,
  run: async (options) => {
    const key = options.unknownKey ?? 'notAnOption';
    await expectRejectionNaming('rejects-unknown-keys', options, { ...options.valid, [key]: true }, key, `the unknown key "${key}"`);
  },
};

const rendersJsonSchema: Check<OptionsConformanceOptions> = {
  id: 'json-schema',
  title: 'schema renders as JSON Schema listing every option',
  skipReason: withoutSchema,
  run: async ({ definition, valid }) => {
    let rendered: Record<string, unknown> | undefined;
    try {
      rendered = pluginJsonSchema(definition as Parameters<typeof pluginJsonSchema>[0]);
    } catch (error) {
      throw new ConformanceError('json-schema', `rendering the options as JSON Schema failed: ${(error as Error).message}`, { cause: error });
    }
    if (rendered === undefined) {
      throw new ConformanceError(
        'json-schema',
        'the options cannot be rendered as JSON Schema: the schema implements no Standard JSON Schema converter. Use a library that does (zod 4.2 or later), or pass jsonSchema to defineSource or defineDestination.',
      );
    }

    const properties = rendered.properties;
    const listed = typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
    const missing = Object.keys(valid).filter((key) => !listed.includes(key));
    if (missing.length > 0) {
      throw new ConformanceError('json-schema', `the JSON Schema does not list ${missing.map((key) => `"${key}"`).join(', ')} under properties, so editors cannot complete ${missing.length === 1 ? 'it' : 'them'}.`);
    }
  },
};

/** The options checks, in the order they run. */
export const optionsChecks: ReadonlyArray<Check<OptionsConformanceOptions>> = [definitionCheck, acceptsValid, rejectsWrongTypes, rejectsUnknownKeys, rendersJsonSchema];

/** Runs the options checks, or those whose ids are in `only`, and returns one result per check; never throws. */
export function checkOptions(options: OptionsConformanceOptions, only?: ReadonlyArray<string>): Promise<CheckResult[]> {
  return runChecks(optionsChecks, options, only);
}

/** Registers the options checks as tests of vitest or `node:test`: pass that runner's `describe` and `it`. */
export function describeOptionsConformance(options: OptionsConformanceOptions, registrar: TestRegistrar): void {
  registerChecks(`options conformance: ${options.definition.name}`, optionsChecks, options, registrar);
}
