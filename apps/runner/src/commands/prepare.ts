import type { Pipeline } from '@deltav/core';
import { buildPipelines } from '../build.js';
import { formatIssue, type ConfigIssue } from '../config/issues.js';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';

/** Exit status for a config that cannot be used. */
export const EXIT_CONFIG = 2;

export type Prepared = { ok: true; config: Config; pipelines: Pipeline[] } | { ok: false; issues: ConfigIssue[] };

/** Loads the config and its plugins; with `create: false`, checks everything but builds nothing. */
export async function prepare(configFile: string, { create = true } = {}): Promise<Prepared> {
  const loaded = await loadConfigFile(configFile);
  if (!loaded.ok) return loaded;

  const built = await buildPipelines(loaded.config, configFile, loaded.locate, { create });
  if (built.issues.length > 0) return { ok: false, issues: built.issues };
  return { ok: true, config: loaded.config, pipelines: built.pipelines };
}

/** Prints every problem, one per line, to standard error. */
export function reportIssues(configFile: string, issues: readonly ConfigIssue[]): void {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  process.stderr.write(`${configFile}: ${count} found:\n`);
  for (const issue of issues) process.stderr.write(`  ${formatIssue(configFile, issue)}\n`);
}
