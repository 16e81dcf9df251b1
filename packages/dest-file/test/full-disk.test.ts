import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FileDestination } from '../src/index.js';
import { assertBuilt, fixture, payload, runChild, runContext, tempFilesIn, tempFolder } from './helpers.js';

interface Outcome {
  ok: boolean;
  code?: string;
  retryable?: boolean;
  message?: string;
  cause?: string;
}

/**
 * Runs the failing writer with a file size limit of 8 blocks. SIGXFSZ is ignored, so a
 * write past the limit is cut short and the next one fails with a real EFBIG.
 */
async function writeUnderSizeLimit(target: string, mode: string, firstSize: number, secondSize: number): Promise<Outcome[]> {
  assertBuilt();
  const script = `trap '' XFSZ; ulimit -f 8; exec "$0" "$@"`;
  const result = await runChild('bash', ['-c', script, process.execPath, fixture('failing-writer.mjs'), target, mode, String(firstSize), String(secondSize)]);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Outcome[];
}

/** Mounts a 256 KiB tmpfs, or returns undefined where mounting is not permitted. */
async function smallFilesystem(): Promise<string | undefined> {
  const mountPoint = join(await tempFolder(), 'small');
  await mkdir(mountPoint);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  onTestFinished(() => {
    execFileSync('umount', [mountPoint], { stdio: 'ignore' });
  });
  return mountPoint;
}

describe('full disk', () => {
  it('keeps the old file past a size limit', { timeout: 20_000 }, async () => {
    const folder = await tempFolder();
    const target = join(folder, 'latest.txt');

    const outcomes = await writeUnderSizeLimit(target, 'overwrite', 1000, 64 * 1024);

    expect(outcomes[0]).toEqual({ ok: true });
    expect(outcomes[1]).toMatchObject({ ok: false, code: 'DELTAV_FILE_NO_SPACE', retryable: false, cause: 'EFBIG' });
    expect(outcomes[1]!.message).toContain(target);
    expect(outcomes[1]!.message).toContain('Fix:');
    expect(await readFile(target, 'utf8')).toBe('0'.repeat(1000));
    expect(await readdir(folder)).toEqual(['latest.txt']);
  });

  it('truncates a cut-short record past a size limit', { timeout: 20_000 }, async () => {
    const folder = await tempFolder();
    const target = join(folder, 'events.log');

    const outcomes = await writeUnderSizeLimit(target, 'append', 1000, 64 * 1024);

    expect(outcomes[0]).toEqual({ ok: true });
    expect(outcomes[1]).toMatchObject({ ok: false, code: 'DELTAV_FILE_NO_SPACE', retryable: false, cause: 'EFBIG' });
    expect(await readFile(target, 'utf8')).toBe(`${'0'.repeat(1000)}\n`);
  });

  it('keeps the old file on ENOSPC', async (context) => {
    const mountPoint = await smallFilesystem();
    if (mountPoint === undefined) return context.skip('mounting a tmpfs is not permitted here');
    const target = join(mountPoint, 'latest.txt');
    const destination = new FileDestination(target);
    await destination.write(payload('old '.repeat(1000)), runContext());

    const error = await destination.write(payload(new Uint8Array(400 * 1024).fill(65)), runContext()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'DELTAV_FILE_NO_SPACE', retryable: false, cause: expect.objectContaining({ code: 'ENOSPC' }) });
    expect((error as Error).message).toContain(target);
    expect(await readFile(target, 'utf8')).toBe('old '.repeat(1000));
    expect(await tempFilesIn(mountPoint)).toEqual([]);
  });

  it('keeps whole records on ENOSPC', async (context) => {
    const mountPoint = await smallFilesystem();
    if (mountPoint === undefined) return context.skip('mounting a tmpfs is not permitted here');
    const target = join(mountPoint, 'events.log');
    const destination = new FileDestination({ path: target, mode: 'append' });
    await destination.write(payload('first'), runContext());

    const error = await destination.write(payload(new Uint8Array(400 * 1024).fill(65)), runContext()).catch((caught: unknown) => caught);
    await destination.write(payload('after'), runContext());

    expect(error).toMatchObject({ code: 'DELTAV_FILE_NO_SPACE', retryable: false });
    expect(await readFile(target, 'utf8')).toBe('first\nafter\n');
  });

  it('reports a read-only filesystem', async (context) => {
    const mountPoint = await smallFilesystem();
    if (mountPoint === undefined) return context.skip('mounting a tmpfs is not permitted here');
    const target = join(mountPoint, 'latest.txt');
    const destination = new FileDestination(target);
    await destination.write(payload('old'), runContext());
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);

    const error = await destination.write(payload('new'), runContext()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'DELTAV_FILE_READ_ONLY', retryable: false });
    expect((error as Error).message).toContain(target);
    expect(await readFile(target, 'utf8')).toBe('old');
  });
});
