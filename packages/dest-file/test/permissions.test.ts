import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDestination } from '../src/index.js';
import { assertBuilt, fixture, payload, runContext, tempFolder } from './helpers.js';

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o7777;

// As root the test needs the user "nobody" to run this Node.js binary, which fails when it
// sits in a folder only root may enter (such as a version manager's folder under /root).
const canRunUnprivileged = process.getuid?.() !== 0 || spawnSync(process.execPath, ['-e', '0'], { uid: 65534, gid: 65534 }).status === 0;

describe('permission modes', () => {
  it('defaults to 0644 files and 0755 folders', async () => {
    const folder = await tempFolder();

    await new FileDestination(join(folder, 'new', 'latest.json')).write(payload('{}'), runContext());

    expect(await modeOf(join(folder, 'new'))).toBe(0o755);
    expect(await modeOf(join(folder, 'new', 'latest.json'))).toBe(0o644);
  });

  it('applies modes exactly despite the umask', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, 'a', 'b', 'shared.json'), fileMode: 0o666, dirMode: 0o777 });

    await destination.write(payload('{}'), runContext());

    expect(await modeOf(join(folder, 'a'))).toBe(0o777);
    expect(await modeOf(join(folder, 'a', 'b'))).toBe(0o777);
    expect(await modeOf(join(folder, 'a', 'b', 'shared.json'))).toBe(0o666);
  });

  it('accepts octal strings', async () => {
    const folder = await tempFolder();
    const destination = new FileDestination({ path: join(folder, 'private', 'secret.json'), fileMode: '0600', dirMode: '0o700' });

    await destination.write(payload('{}'), runContext());

    expect(await modeOf(join(folder, 'private'))).toBe(0o700);
    expect(await modeOf(join(folder, 'private', 'secret.json'))).toBe(0o600);
  });

  it('applies the file mode in every write mode', async () => {
    const folder = await tempFolder();
    const append = new FileDestination({ path: join(folder, 'log.ndjson'), mode: 'append', fileMode: 0o640, rotation: { maxBytes: 4, gzip: true } });
    const unique = new FileDestination({ path: join(folder, 'run-{runId}.json'), mode: 'unique', fileMode: 0o640 });

    await append.write(payload('one'), runContext());
    await append.write(payload('two'), runContext());
    await unique.write(payload('{}'), runContext({ runId: 'r1' }));
    await append.close();

    expect(await modeOf(join(folder, 'log.ndjson'))).toBe(0o640);
    expect(await modeOf(join(folder, 'log.ndjson.1.gz'))).toBe(0o640);
    expect(await modeOf(join(folder, 'run-r1.json'))).toBe(0o640);
  });

  it.skipIf(!canRunUnprivileged)('reports a folder without write access', { timeout: 20_000 }, async () => {
    assertBuilt();
    const folder = await tempFolder();
    const locked = join(folder, 'locked');
    await mkdir(locked);
    await chmod(folder, 0o755);
    await chmod(locked, 0o555);

    // Root ignores permission bits, so as root the write runs as the unprivileged user "nobody".
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawn(process.execPath, [fixture('unprivileged-writer.mjs'), join(locked, 'latest.json')], { ...asUser, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const outcome = JSON.parse(output) as { ok: boolean; code?: string; retryable?: boolean; message?: string };

    expect(outcome).toMatchObject({ ok: false, code: 'DELTAV_FILE_PERMISSION', retryable: false });
    expect(outcome.message).toContain(join(locked, 'latest.json'));
    expect(outcome.message).toContain('Fix: grant the process write access');
  });
});
