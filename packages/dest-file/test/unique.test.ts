import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDestination } from '../src/index.js';
import { payload, runContext, tempFolder } from './helpers.js';

describe('unique mode', () => {
  it('writes a new file per run', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, '{pipeline}-%Y%m%dT%H%M%S-{runId}.json'), mode: 'unique' });

    await destination.write(payload('first'), runContext({ runId: 'a1' }));
    await destination.write(payload('second'), runContext({ runId: 'b2' }));

    expect((await readdir(folder)).sort()).toEqual(['orders-20240309T140507-a1.json', 'orders-20240309T140507-b2.json']);
    expect(await readFile(join(folder, 'orders-20240309T140507-a1.json'), 'utf8')).toBe('first');
    expect(await readFile(join(folder, 'orders-20240309T140507-b2.json'), 'utf8')).toBe('second');
  });

  it('numbers a name already taken', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, 'report.json'), mode: 'unique' });
    const contexts = [runContext(), runContext(), runContext()];

    for (const [i, context] of contexts.entries()) await destination.write(payload(`v${i}`), context);

    expect((await readdir(folder)).sort()).toEqual(['report-1.json', 'report-2.json', 'report.json']);
    expect(await readFile(join(folder, 'report.json'), 'utf8')).toBe('v0');
    expect(await readFile(join(folder, 'report-2.json'), 'utf8')).toBe('v2');
    expect(contexts.map((context) => context.emitted[0]?.data.path)).toEqual([
      join(folder, 'report.json'),
      join(folder, 'report-1.json'),
      join(folder, 'report-2.json'),
    ]);
  });

  it('never replaces a file under concurrency', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, 'same.txt'), mode: 'unique' });

    await Promise.all(Array.from({ length: 8 }, (_, i) => destination.write(payload(`payload ${i}`), runContext())));

    const names = await readdir(folder);
    expect(names).toHaveLength(8);
    const contents = await Promise.all(names.map((name) => readFile(join(folder, name), 'utf8')));
    expect(contents.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `payload ${i}`));
  });
});
