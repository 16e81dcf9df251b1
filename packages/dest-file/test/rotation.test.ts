import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FileDestination } from '../src/index.js';
import { payload, runContext, tempFilesIn, tempFolder } from './helpers.js';

/** Reads the rotated files of `name` in index order, then the active file, decompressing `.gz` ones. */
async function concatenated(folder: string, name: string): Promise<string> {
  const rotated = (await readdir(folder))
    .map((file) => ({ file, match: new RegExp(`^${name.replace('.', '\\.')}\\.(\\d+)(\\.gz)?$`).exec(file) }))
    .filter((entry) => entry.match !== null)
    .sort((a, b) => Number(a.match![1]) - Number(b.match![1]));
  let text = '';
  for (const { file, match } of rotated) {
    const bytes = await readFile(join(folder, file));
    text += (match![2] === undefined ? bytes : gunzipSync(bytes)).toString('utf8');
  }
  return text + (await readFile(join(folder, name), 'utf8').catch(() => ''));
}

const records = (count: number): string[] => Array.from({ length: count }, (_, i) => `record-${String(i).padStart(3, '0')}`);

describe('rotation', () => {
  it('rotates by size without losing a record', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, 'app.log'), mode: 'append', rotation: { maxBytes: 40 } });

    for (const record of records(10)) await destination.write(payload(record), runContext());
    await destination.close();

    expect((await readdir(folder)).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2', 'app.log.3']);
    expect(await readFile(join(folder, 'app.log.1'), 'utf8')).toBe('record-000\nrecord-001\nrecord-002\n');
    expect(await readFile(join(folder, 'app.log'), 'utf8')).toBe('record-009\n');
    expect(await concatenated(folder, 'app.log')).toBe(records(10).map((record) => `${record}\n`).join(''));
  });

  it('compresses rotated files with gzip', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, 'app.log'), mode: 'append', rotation: { maxBytes: 40, gzip: true } });

    for (const record of records(10)) await destination.write(payload(record), runContext());
    await destination.close();

    expect((await readdir(folder)).sort()).toEqual(['app.log', 'app.log.1.gz', 'app.log.2.gz', 'app.log.3.gz']);
    expect(gunzipSync(await readFile(join(folder, 'app.log.2.gz'))).toString()).toBe('record-003\nrecord-004\nrecord-005\n');
    expect(await concatenated(folder, 'app.log')).toBe(records(10).map((record) => `${record}\n`).join(''));
  });

  it('keeps only the newest rotated files', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, 'app.log'), mode: 'append', rotation: { maxBytes: 40, gzip: true, keep: 2 } });

    for (const record of records(10)) await destination.write(payload(record), runContext());
    await destination.close();

    expect((await readdir(folder)).sort()).toEqual(['app.log', 'app.log.2.gz', 'app.log.3.gz']);
    expect(await concatenated(folder, 'app.log')).toBe(records(10).slice(3).map((record) => `${record}\n`).join(''));
  });

  it('writes an oversized record alone', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, 'app.log'), mode: 'append', rotation: { maxBytes: 8 } });

    await destination.write(payload('small'), runContext());
    await destination.write(payload('a record longer than the limit'), runContext());
    await destination.write(payload('tail'), runContext());
    await destination.close();

    expect(await readFile(join(folder, 'app.log.1'), 'utf8')).toBe('small\n');
    expect(await readFile(join(folder, 'app.log.2'), 'utf8')).toBe('a record longer than the limit\n');
    expect(await readFile(join(folder, 'app.log'), 'utf8')).toBe('tail\n');
  });

  it('rotates when the period changes', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'daily.log');
    const destination = new FileDestination({ path: target, mode: 'append', rotation: { intervalMs: 86_400_000, gzip: true } });
    await destination.write(payload('monday-1'), runContext());
    await destination.write(payload('monday-2'), runContext());
    const yesterday = new Date(Date.now() - 86_400_000);
    await utimes(target, yesterday, yesterday);

    await destination.write(payload('tuesday-1'), runContext());
    await destination.write(payload('tuesday-2'), runContext());
    await destination.close();

    expect((await readdir(folder)).sort()).toEqual(['daily.log', 'daily.log.1.gz']);
    expect(gunzipSync(await readFile(join(folder, 'daily.log.1.gz'))).toString()).toBe('monday-1\nmonday-2\n');
    expect(await readFile(target, 'utf8')).toBe('tuesday-1\ntuesday-2\n');
  });

  it('serializes rotation across pipelines', async () => {
    const folder = await tempFolder();
    const path = join(folder, 'shared.log');
    const writers = ['a', 'b', 'c'].map((name) => ({ name, destination: new FileDestination({ path, mode: 'append', rotation: { maxBytes: 64, gzip: true } }) }));

    await Promise.all(
      writers.map(async ({ name, destination }) => {
        for (let i = 0; i < 30; i++) await destination.write(payload(`${name}-${i}`), runContext({ pipeline: name }));
      }),
    );
    await Promise.all(writers.map(({ destination }) => destination.close()));

    const lines = (await concatenated(folder, 'shared.log')).split('\n').filter((line) => line !== '');
    for (const { name } of writers) {
      expect(lines.filter((line) => line.startsWith(`${name}-`))).toEqual(Array.from({ length: 30 }, (_, i) => `${name}-${i}`));
    }
    expect(lines).toHaveLength(90);
    expect(await tempFilesIn(folder)).toEqual([]);
  });

  it('finishes compression a crash interrupted', async () => {
    const folder = await tempFolder();
    await writeFile(join(folder, 'app.log.1'), 'one\n');
    await writeFile(join(folder, 'app.log.1.gz'), gzipSync('one\n'));
    await writeFile(join(folder, 'app.log.2'), 'two\n');
    const destination = new FileDestination({ path: join(folder, 'app.log'), mode: 'append', rotation: { maxBytes: 1000, gzip: true } });

    await destination.write(payload('three'), runContext());
    await destination.close();

    expect((await readdir(folder)).sort()).toEqual(['app.log', 'app.log.1.gz', 'app.log.2.gz']);
    expect(await concatenated(folder, 'app.log')).toBe('one\ntwo\nthree\n');
  });

  it('emits file.rotated', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, 'app.log'), mode: 'append', rotation: { maxBytes: 5 } });
    await destination.write(payload('1234'), runContext());
    const context = runContext();

    await destination.write(payload('5678'), context);

    expect(context.emitted).toEqual([
      { type: 'file.rotated', data: { path: join(folder, 'app.log'), rotatedPath: join(folder, 'app.log.1') } },
      { type: 'file.written', data: { path: join(folder, 'app.log'), mode: 'append', bytes: 4 } },
    ]);
    expect((await stat(join(folder, 'app.log.1'))).size).toBe(5);
  });
});
