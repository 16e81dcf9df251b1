import { describeDestinationConformance, describeOptionsConformance, instantiate } from '@deltav/testkit';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fileDestination } from '../src/index.js';

let folder = '';
let files = 0;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'deltav-dest-file-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

describeDestinationConformance(
  {
    name: 'file',
    create: async () => {
      // A new file per check, in a subfolder the destination has to create.
      const path = join(folder, `check-${++files}`, 'out.bin');
      return { destination: await instantiate(fileDestination, { path }), readBack: () => readIfPresent(path) };
    },
  },
  { describe, it },
);

describeOptionsConformance(
  {
    definition: fileDestination,
    valid: { path: './out/data.json', fileMode: 0o600, dirMode: 0o700 },
  },
  { describe, it },
);
