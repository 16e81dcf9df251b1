import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDestination } from '../src/index.js';
import { assertBuilt, fixture, payload, runChild, runContext, tempFolder } from './helpers.js';

/** Checks records of the form "<writer>:<index>:<sha256 of padding>:<padding>" and returns each writer's indexes in file order. */
function indexesByWriter(content: string): Map<string, number[]> {
  const lines = content.split('\n');
  expect(lines.pop()).toBe('');
  const byWriter = new Map<string, number[]>();
  for (const line of lines) {
    const [writer, index, digest, padding] = line.split(':');
    expect(createHash('sha256').update(padding ?? '').digest('hex'), `record ${writer}:${index} is torn`).toBe(digest);
    byWriter.set(writer!, [...(byWriter.get(writer!) ?? []), Number(index)]);
  }
  return byWriter;
}

const range = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

describe('append mode', () => {
  it('appends records with newlines', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'events.ndjson');
    const destination = new FileDestination({ path: target, mode: 'append' });

    await destination.write(payload('{"n":1}'), runContext());
    await destination.write(payload('{"n":2}'), runContext());
    await destination.write(payload(''), runContext());

    expect(await readFile(target, 'utf8')).toBe('{"n":1}\n{"n":2}\n\n');
  });

  it('uses a custom delimiter', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'records.txt');
    const destination = new FileDestination({ path: target, mode: 'append', delimiter: '\u001e\r\n' });

    await destination.write(payload('a'), runContext());
    await destination.write(payload('b'), runContext());

    expect(await readFile(target, 'utf8')).toBe('a\u001e\r\nb\u001e\r\n');
  });

  it('joins records with an empty delimiter', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'joined.txt');
    const destination = new FileDestination({ path: target, mode: 'append', delimiter: '' });

    await destination.write(payload('a'), runContext());
    await destination.write(payload('b'), runContext());

    expect(await readFile(target, 'utf8')).toBe('ab');
  });

  it('keeps records whole across pipelines', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'shared.log');
    const writers = range(4).map(() => new FileDestination({ path: target, mode: 'append', fsync: 'never' }));

    await Promise.all(
      writers.map(async (destination, writer) => {
        for (const index of range(25)) {
          const padding = String(writer).repeat(20_000 + index * 997);
          const digest = createHash('sha256').update(padding).digest('hex');
          await destination.write(payload(`${writer}:${index}:${digest}:${padding}`), runContext({ pipeline: `p${writer}` }));
        }
      }),
    );

    const byWriter = indexesByWriter(await readFile(target, 'utf8'));
    expect([...byWriter.keys()].sort()).toEqual(['0', '1', '2', '3']);
    for (const indexes of byWriter.values()) expect(indexes).toEqual(range(25));
  });

  it('keeps records whole across processes', { timeout: 30_000 }, async () => {
    assertBuilt();
    const folder = await tempFolder();
    const target = join(folder, 'shared.log');

    const results = await Promise.all(range(4).map((writer) => runChild(process.execPath, [fixture('appender.mjs'), target, String(writer), '40'])));

    for (const result of results) expect(result).toMatchObject({ code: 0, stderr: '' });
    const byWriter = indexesByWriter(await readFile(target, 'utf8'));
    expect([...byWriter.keys()].sort()).toEqual(['0', '1', '2', '3']);
    for (const indexes of byWriter.values()) expect(indexes).toEqual(range(40));
  });

  it('reports a folder at the target path', async () => {
    const folder = await tempFolder();
    await mkdir(join(folder, 'events.ndjson'));
    const destination = new FileDestination({ path: join(folder, 'events.ndjson'), mode: 'append', rotation: { maxBytes: 10 } });

    const error = await destination.write(payload('x'), runContext()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'DELTAV_FILE_IS_DIRECTORY', retryable: false });
    expect((error as Error).message).toContain(join(folder, 'events.ndjson'));
  });

  it('skips the write when aborted', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'events.ndjson');
    const destination = new FileDestination({ path: target, mode: 'append' });
    await destination.write(payload('kept'), runContext());
    const controller = new AbortController();
    controller.abort(new Error('run timed out'));

    await expect(destination.write(payload('dropped'), runContext({ signal: controller.signal }))).rejects.toThrow('run timed out');

    expect(await readFile(target, 'utf8')).toBe('kept\n');
  });
});
