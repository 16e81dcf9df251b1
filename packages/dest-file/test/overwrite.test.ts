import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDestination } from '../src/index.js';
import { payload, runContext, tempFilesIn, tempFolder } from './helpers.js';

/** Returns the process id of a process that has exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '']);
  return result.pid!;
}

describe('overwrite mode', () => {
  it('replaces the file with each payload', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'latest.json');
    const destination = new FileDestination(target);

    await destination.write(payload('{"version":1,"padding":"long first payload"}'), runContext());
    await destination.write(payload('{"version":2}'), runContext());

    expect(await readFile(target, 'utf8')).toBe('{"version":2}');
    expect(await readdir(folder)).toEqual(['latest.json']);
  });

  it('accepts a string or an options object', async () => {
    const folder = await tempFolder();
    const fromString = new FileDestination(join(folder, 'a.txt'));
    const fromObject = new FileDestination({ path: join(folder, 'b.txt') });

    await fromString.write(payload('a'), runContext());
    await fromObject.write(payload('b'), runContext());

    expect(fromString.mode).toBe('overwrite');
    expect(fromObject.mode).toBe('overwrite');
    expect(await readFile(join(folder, 'a.txt'), 'utf8')).toBe('a');
    expect(await readFile(join(folder, 'b.txt'), 'utf8')).toBe('b');
  });

  it('creates missing folders', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'one', 'two', 'latest.txt');

    await new FileDestination(target).write(payload('deep'), runContext());

    expect(await readFile(target, 'utf8')).toBe('deep');
  });

  it('writes a payload larger than one chunk', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'large.bin');
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;

    await new FileDestination(target).write(payload(bytes), runContext());

    expect(Buffer.compare(await readFile(target), bytes)).toBe(0);
  });

  it('removes temp files of dead writers', async () => {
    const folder = await tempFolder();
    const stale = `.latest.json.${deadPid()}-0a1b2c3d4e5f.deltav-tmp`;
    const legacy = '.latest.json.0a1b2c3d4e5f.deltav-tmp';
    await writeFile(join(folder, stale), 'half a paylo');
    await writeFile(join(folder, legacy), 'half');

    await new FileDestination(join(folder, 'latest.json')).write(payload('whole'), runContext());

    expect(await tempFilesIn(folder)).toEqual([]);
  });

  it('keeps temp files of live writers', async () => {
    const folder = await tempFolder();
    const live = `.latest.json.${process.ppid}-0a1b2c3d4e5f.deltav-tmp`;
    await writeFile(join(folder, live), 'in progress');

    await new FileDestination(join(folder, 'latest.json')).write(payload('whole'), runContext());

    expect(await tempFilesIn(folder)).toEqual([live]);
  });

  it('leaves the file when aborted', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'latest.txt');
    const destination = new FileDestination(target);
    await destination.write(payload('old'), runContext());
    const controller = new AbortController();
    controller.abort(new Error('run timed out'));

    await expect(destination.write(payload('new'), runContext({ signal: controller.signal }))).rejects.toThrow('run timed out');

    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await tempFilesIn(folder)).toEqual([]);
  });

  it('reports a folder at the target path', async () => {
    const folder = await tempFolder();
    await mkdir(join(folder, 'latest.json'));
    const destination = new FileDestination(join(folder, 'latest.json'));

    const error = await destination.write(payload('x'), runContext()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'DELTAV_FILE_IS_DIRECTORY', retryable: false });
    expect((error as Error).message).toContain(join(folder, 'latest.json'));
    expect(await tempFilesIn(folder)).toEqual([]);
  });

  it('reports a file where a folder should be', async () => {
    const folder = await tempFolder();
    await writeFile(join(folder, 'blocker'), 'a file');
    const destination = new FileDestination(join(folder, 'blocker', 'latest.json'));

    const error = await destination.write(payload('x'), runContext()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'DELTAV_FILE_NOT_DIRECTORY', retryable: false });
    expect((error as Error).message).toContain(join(folder, 'blocker'));
  });

  it('emits file.written', async () => {
    const folder = await tempFolder();
    const context = runContext();

    await new FileDestination(join(folder, 'latest.txt')).write(payload('12345'), context);

    expect(context.emitted).toEqual([{ type: 'file.written', data: { path: join(folder, 'latest.txt'), mode: 'overwrite', bytes: 5 } }]);
  });

  it('rejects writes after close', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination(join(folder, 'latest.txt'));
    await destination.close();
    await destination.close();

    await expect(destination.write(payload('late'), runContext())).rejects.toMatchObject({ code: 'DELTAV_FILE_CLOSED' });
  });
});

describe('folder cache', () => {
  it('recreates a folder removed between writes', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'nested', 'deeper', 'latest.json');
    const destination = new FileDestination(target);
    await destination.write(payload('first'), runContext());

    await rm(join(folder, 'nested'), { recursive: true });
    await destination.write(payload('second'), runContext());

    expect(await readFile(target, 'utf8')).toBe('second');
  });
});
