import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';

/** Build settings that every published package shares: ESM, CommonJS and declarations. */
export function packageBuild(entry: Record<string, string> | string[] = ['src/index.ts']): Options {
  // tsup runs in the package folder, so this is the package being built.
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  };
}
