import { access } from 'node:fs/promises';
import { join } from 'node:path';

/** File names tried, in order, when `--config` is not given. */
export const DEFAULT_CONFIG_NAMES = ['deltav.yaml', 'deltav.yml', 'deltav.json'] as const;

/** Returns the first default config file that exists in `folder`, or `undefined`. */
export async function findDefaultConfig(folder: string): Promise<string | undefined> {
  for (const name of DEFAULT_CONFIG_NAMES) {
    const candidate = join(folder, name);
    try {
      await access(candidate);
      return candidate;
    } catch {
      // Not there: try the next name.
    }
  }
  return undefined;
}

/** Builds the message printed when no config file was passed or found. */
export function noConfigMessage(folder: string): string {
  return [
    `deltav: no config file found: looked for ${DEFAULT_CONFIG_NAMES.join(', ')} in ${folder}.`,
    'Pass --config FILE, or create deltav.yaml in this folder, for example:',
    '',
    'pipelines:',
    '  - name: example',
    '    interval: 1m',
    '    source: { use: http, with: { url: "http://127.0.0.1:8080/data" } }',
    '    destination: { use: file, with: { path: ./out/example.json } }',
    '',
    'Then check it with: deltav validate',
    '',
  ].join('\n');
}
