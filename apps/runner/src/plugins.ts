import {
  assertCompatiblePlugin,
  isPluginDefinition,
  type DestinationDefinition,
  type PluginDefinition,
  type SourceDefinition,
} from '@deltav/core';
import { fileDestination } from '@deltav/dest-file';
import { httpSource } from '@deltav/source-http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type PluginKind = 'source' | 'destination';

/** Built-in aliases, loaded without a package lookup. */
export const BUILT_INS: Record<PluginKind, Record<string, PluginDefinition>> = {
  source: { http: httpSource as PluginDefinition },
  destination: { file: fileDestination as PluginDefinition },
};

/** A plugin that cannot be loaded, with a message that says what to do. */
export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
}

/**
 * Loads the plugin named by `use:`: a built-in alias, or an npm package resolved from the
 * config file's folder first, then from the runner's own installation.
 */
export async function loadPlugin(use: string, kind: 'source', configDir: string): Promise<SourceDefinition>;
export async function loadPlugin(use: string, kind: 'destination', configDir: string): Promise<DestinationDefinition>;
export async function loadPlugin(use: string, kind: PluginKind, configDir: string): Promise<PluginDefinition>;
export async function loadPlugin(use: string, kind: PluginKind, configDir: string): Promise<SourceDefinition | DestinationDefinition> {
  const builtIn = BUILT_INS[kind][use];
  if (builtIn !== undefined) return builtIn;

  const otherKind = kind === 'source' ? 'destination' : 'source';
  if (BUILT_INS[otherKind][use] !== undefined) {
    throw new PluginLoadError(`"${use}" is a built-in ${otherKind}, not a ${kind}. Built-in ${kind}s: ${Object.keys(BUILT_INS[kind]).join(', ')}.`);
  }

  const module = await importPackage(use, configDir);
  const definition = findDefinition(module, kind);
  if (definition === undefined) {
    // Node.js 23 and later also list a CommonJS module's whole exports object as "module.exports".
    const names = Object.keys(module).filter((name) => name !== 'default' && name !== 'module.exports');
    throw new PluginLoadError(
      `package "${use}" exports no deltav ${kind} plugin (made with define${kind === 'source' ? 'Source' : 'Destination'}); it exports ${names.length === 0 ? 'nothing' : names.join(', ')}.`,
    );
  }
  assertCompatiblePlugin(definition);
  return definition;
}

// NOTE: resolution uses require.resolve, so a package whose `exports` has only an `import`
// condition is reported as unresolvable. On Node 20, import.meta.resolve takes no parent folder.
async function importPackage(name: string, configDir: string): Promise<Record<string, unknown>> {
  const bases = [join(configDir, 'deltav.config.js'), import.meta.url];
  for (const base of bases) {
    let resolved: string;
    try {
      resolved = createRequire(base).resolve(name);
    } catch (error) {
      if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') continue;
      throw new PluginLoadError(`cannot resolve plugin package "${name}": ${(error as Error).message}`);
    }
    return (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  }
  throw new PluginLoadError(
    `plugin package "${name}" not found in node_modules above ${configDir} or in the runner's installation. Install it next to the config: npm install ${name}`,
  );
}

function findDefinition(module: Record<string, unknown>, kind: PluginKind): PluginDefinition | undefined {
  const candidates = [module.default, ...Object.values(module)];
  // A CommonJS plugin imported from ESM arrives as `default` = module.exports.
  if (typeof module.default === 'object' && module.default !== null) candidates.push(...Object.values(module.default));
  return candidates.find((value): value is PluginDefinition => isPluginDefinition(value) && value.kind === kind);
}
