import { buildPipelines, type PipelineSpec } from '../build.js';
import { formatIssue, type ConfigIssue } from '../config/issues.js';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { scrubSecrets } from '../secrets.js';

/** Exit status for a config that cannot be used. */
export const EXIT_CONFIG = 2;

export type Prepared =
  | { ok: true; config: Config; specs: PipelineSpec[]; secrets: string[] }
  | { ok: false; issues: ConfigIssue[]; secrets: string[] };

/** Loads the config, resolves its plugins and runs every check that needs no run. */
export async function prepare(configFile: string): Promise<Prepared> {
  const loaded = await loadConfigFile(configFile);
  const built = await buildPipelines(loaded, configFile);
  if (built.issues.length > 0 || loaded.config === undefined) return { ok: false, issues: sortIssues(built.issues), secrets: loaded.secrets };
  return { ok: true, config: loaded.config, specs: built.specs, secrets: loaded.secrets };
}

/** Orders problems by their place in the file, so the output reads top to bottom. */
function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.order - b.order)
    .map(({ issue }) => issue);
}

/** Prints every problem, one per line, to standard error, with interpolated secrets masked. */
export function reportIssues(configFile: string, issues: readonly ConfigIssue[], secrets: readonly string[]): void {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = [`${configFile}: ${count} found:`, ...issues.map((issue) => `  ${formatIssue(configFile, issue)}`)];
  process.stderr.write(`${scrubSecrets(lines.join('\n'), secrets)}\n`);
}
