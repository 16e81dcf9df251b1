import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadPlugin, type PluginKind } from '../plugins.js';
import { configJsonSchema, type PluginSet } from '../schema-json.js';
import { EXIT_CONFIG } from './prepare.js';

/**
 * Prints the config's JSON Schema to standard output. With a config file, the options of
 * the plugin packages it uses are described too, resolved as `deltav run` resolves them.
 */
export async function schemaCommand(configFile?: string): Promise<number> {
  let extra: PluginSet = { source: {}, destination: {} };
  if (configFile !== undefined) {
    try {
      extra = await pluginsOf(configFile);
    } catch (error) {
      process.stderr.write(`${configFile}: ${(error as Error).message}\n`);
      return EXIT_CONFIG;
    }
  }
  process.stdout.write(`${JSON.stringify(configJsonSchema(extra), null, 2)}\n`);
  return 0;
}

/** Loads every plugin package that the config names under `use:`. */
async function pluginsOf(configFile: string): Promise<PluginSet> {
  const config = parse(await readFile(configFile, 'utf8')) as { pipelines?: unknown } | null;
  const set: PluginSet = { source: {}, destination: {} };
  const pipelines = Array.isArray(config?.pipelines) ? config.pipelines : [];
  for (const pipeline of pipelines as Array<Record<string, { use?: unknown } | undefined>>) {
    for (const kind of ['source', 'destination'] as const satisfies PluginKind[]) {
      const use = pipeline?.[kind]?.use;
      if (typeof use !== 'string' || use in set[kind]) continue;
      set[kind][use] = await loadPlugin(use, kind, dirname(resolve(configFile)));
    }
  }
  return set;
}
