import { createPayload } from '@deltav/core';
import { createTestContext } from '@deltav/testkit';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppendFileDestination } from '../src/index.js';

let folder = '';

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'deltav-append-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('AppendFileDestination', () => {
  it('appends records with separators', async () => {
    const path = join(folder, 'records.ndjson');
    const destination = new AppendFileDestination({ path });
    const context = createTestContext();

    await destination.write(createPayload({ body: '{"count":1}' }), context);
    await destination.write(createPayload({ body: '{"count":2}' }), context);
    await destination.close();

    expect(await readFile(path, 'utf8')).toBe('{"count":1}\n{"count":2}\n');
  });

  it('rejects a write after close', async () => {
    const destination = new AppendFileDestination({ path: join(folder, 'records.ndjson') });
    await destination.close();

    await expect(destination.write(createPayload({ body: 'late' }), createTestContext())).rejects.toMatchObject({ code: 'APPEND_FILE_CLOSED' });
  });

  it('wraps a failed open', async () => {
    const destination = new AppendFileDestination({ path: folder });

    await expect(destination.write(createPayload({ body: 'x' }), createTestContext())).rejects.toMatchObject({
      code: 'APPEND_FILE_WRITE_FAILED',
      message: `append-file: failed to append to ${folder}: EISDIR: illegal operation on a directory, open '${folder}'`,
    });
    await destination.close();
  });
});
