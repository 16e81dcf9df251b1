import { mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDestination } from '../src/index.js';
import { payload, runContext, tempFolder } from './helpers.js';

describe('base folder', () => {
  it('resolves relative paths inside it', async () => {
    const base = await tempFolder();
    const destination = new FileDestination({ path: 'out/{pipeline}/%Y-%m-%d.json', baseDir: base, timeZone: 'Asia/Tokyo' });

    await destination.write(payload('{}'), runContext({ pipeline: 'orders', scheduledAt: new Date(Date.UTC(2024, 2, 9, 20, 0, 0)) }));

    expect(await readFile(join(base, 'out', 'orders', '2024-03-10.json'), 'utf8')).toBe('{}');
  });

  it('accepts an absolute path inside it', async () => {
    const base = await tempFolder();
    const destination = new FileDestination({ path: join(base, 'inside.json'), baseDir: base });

    await destination.write(payload('ok'), runContext());

    expect(await readFile(join(base, 'inside.json'), 'utf8')).toBe('ok');
  });

  it.each([
    ['a parent climb', '../escaped.json'],
    ['a nested climb', 'out/../../escaped.json'],
    ['a climb after a placeholder', '{pipeline}/../../escaped.json'],
    ['an absolute path elsewhere', '/etc/escaped.json'],
    ['the base folder itself', '.'],
  ])('rejects %s', async (_case, path) => {
    const base = await tempFolder();

    expect(() => new FileDestination({ path, baseDir: join(base, 'root') })).toThrow(
      expect.objectContaining({ code: 'DELTAV_FILE_OUTSIDE_BASE', message: expect.stringContaining(join(base, 'root')) }),
    );
  });

  it('keeps a hostile pipeline name inside', async () => {
    const base = await tempFolder();
    const destination = new FileDestination({ path: '{pipeline}.json', baseDir: base });

    await destination.write(payload('x'), runContext({ pipeline: '../../outside' }));

    expect(await readdir(base)).toEqual(['.._.._outside.json']);
  });

  it('rejects a link that leads outside', async () => {
    const root = await tempFolder();
    const base = join(root, 'base');
    await mkdir(join(root, 'elsewhere'), { recursive: true });
    await mkdir(base);
    await symlink(join(root, 'elsewhere'), join(base, 'link'));
    const destination = new FileDestination({ path: 'link/sub/file.json', baseDir: base });

    await expect(destination.write(payload('x'), runContext())).rejects.toMatchObject({ code: 'DELTAV_FILE_OUTSIDE_BASE', retryable: false });

    expect(await readdir(join(root, 'elsewhere'))).toEqual([]);
  });
});
