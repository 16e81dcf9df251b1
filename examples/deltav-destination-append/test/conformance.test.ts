import { describeDestinationConformance, describeOptionsConformance, instantiate } from '@deltav/testkit';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { appendFileDestination } from '../src/index.js';

const SEPARATOR = '\n';
let folder = '';
let files = 0;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'deltav-append-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Reads the single record of a file that received one write: its content without the trailing separator. */
async function readRecord(path: string): Promise<Uint8Array | undefined> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return content.subarray(0, content.byteLength - SEPARATOR.length);
}

describeDestinationConformance(
  {
    name: 'append-file',
    create: async () => {
      const path = join(folder, `check-${++files}`, 'records.ndjson');
      return { destination: await instantiate(appendFileDestination, { path, separator: SEPARATOR }), readBack: () => readRecord(path) };
    },
  },
  { describe, it },
);

describeOptionsConformance({ definition: appendFileDestination, valid: { path: './out.ndjson', separator: '\n', fileMode: 0o600 } }, { describe, it });
