import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FileDestination } from '../src/index.js';
import { assertBuilt, fixture, payload, runContext, tempFilesIn, tempFolder } from './helpers.js';

const KILLS = 30;

/** Returns why `content` is not a whole payload of the crash writer, or undefined when it is one. */
function problemWith(content: string): string | undefined {
  const newline = content.indexOf('\n');
  if (newline === -1) return `no header line in ${content.length} bytes`;
  const [digest, length] = content.slice(0, newline).split(' ');
  const body = content.slice(newline + 1);
  if (body.length !== Number(length)) return `body has ${body.length} bytes, header says ${length}`;
  if (createHash('sha256').update(body).digest('hex') !== digest) return 'checksum mismatch';
  return undefined;
}

function startWriter(target: string): { ready: Promise<void>; kill: () => Promise<void> } {
  const child = spawn(process.execPath, [fixture('crash-writer.mjs'), target], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code, signal) => reject(new Error(`crash writer exited early (code ${code}, signal ${signal})`)));
  });
  return {
    ready,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('crash safety', () => {
  it('never shows a torn file across SIGKILLs', { timeout: 60_000 }, async () => {
    assertBuilt();
    const folder = await tempFolder();
    const target = join(folder, 'snapshot.txt');
    const seed = 'seed';
    await new FileDestination(target).write(payload(`${createHash('sha256').update(seed).digest('hex')} ${seed.length}\n${seed}`), runContext());

    const problems: string[] = [];
    let reads = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const problem = problemWith(await readFile(target, 'utf8'));
        reads++;
        if (problem !== undefined) problems.push(`while writing: ${problem}`);
        await sleep(1);
      }
    })();

    for (let kill = 0; kill < KILLS; kill++) {
      const writer = startWriter(target);
      await writer.ready;
      await sleep(Math.floor(Math.random() * 60));
      await writer.kill();

      const problem = problemWith(await readFile(target, 'utf8'));
      if (problem !== undefined) problems.push(`after kill ${kill}: ${problem}`);
    }
    reading = false;
    await reader;

    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(KILLS);

    // The next writer removes the temp files that the killed ones left behind.
    await new FileDestination(target).write(payload(`${createHash('sha256').update('').digest('hex')} 0\n`), runContext());
    expect(await tempFilesIn(folder)).toEqual([]);
  });
});
