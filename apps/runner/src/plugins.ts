import {
  assertCompatiblePlugin,
  isPluginDefinition,
  type DestinationDefinition,
  type PluginDefinition,
  type SourceDefinition,
} from '@deltav/core';
import { fileDestination } from '@deltav/dest-file';
import { httpSource } from '@deltav/source-http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';

export type PluginKind = 'source' | 'destination';

/** Built-in aliases, loaded without a package lookup. */
export const BUILT_INS: Record<PluginKind, Record<string, PluginDefinition>> = {
  source: { http: httpSource as PluginDefinition },
  destination: { file: fileDestination as PluginDefinition },
};

/** A plugin that cannot be loaded, with a message that names the fix. */
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

/**
 * Imports a plugin package, resolved as Node.js resolves an `import` from the config's
 * folder (its `exports` with the `import` condition, so ESM-only packages work), then from
 * the runner's own installation.
 */
async function importPackage(name: string, configDir: string): Promise<Record<string, unknown>> {
  const parents = [pathToFileURL(join(configDir, 'deltav.config.js')).href, import.meta.url];
  for (const parent of parents) {
    let resolved: string;
    try {
      resolved = resolveImport(name, parent);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') continue;
      throw new PluginLoadError(`cannot resolve plugin package "${name}": ${(error as Error).message}`);
    }
    return (await import(resolved)) as Record<string, unknown>;
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
