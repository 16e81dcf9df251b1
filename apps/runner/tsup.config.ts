import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig({
  ...packageBuild({ index: 'src/index.ts', cli: 'src/cli.ts' }),
  // The runner reads its own package.json and resolves plugins relative to itself in both formats.
  shims: true,
  // ESM-only, so it is bundled: the CommonJS build could not require it on Node.js 20.
  noExternal: ['import-meta-resolve'],
});
