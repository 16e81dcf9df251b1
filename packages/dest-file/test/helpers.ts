import { createPayload, MemoryStateStore, silentLogger, type Payload, type RunContext } from '@deltav/core';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

/** Builds a run context with fixed values, whose `emitted` array collects plugin events. */
export function runContext(
  overrides: Partial<Pick<RunContext, 'pipeline' | 'runId' | 'scheduledAt' | 'signal'>> = {},
): RunContext & { emitted: Array<{ type: string; data: Readonly<Record<string, unknown>> }> } {
  const pipeline = overrides.pipeline ?? 'orders';
  const emitted: Array<{ type: string; data: Readonly<Record<string, unknown>> }> = [];
  return {
    pipeline,
    pipelineName: pipeline,
    runId: overrides.runId ?? 'run-1',
    attempt: 1,
    scheduledAt: overrides.scheduledAt ?? new Date(Date.UTC(2024, 2, 9, 14, 5, 7, 42)),
    signal: overrides.signal ?? new AbortController().signal,
    logger: silentLogger,
    state: new MemoryStateStore(),
    emit: (type, data) => {
      emitted.push({ type, data });
    },
    emitted,
  };
}

export function payload(body: string | Uint8Array): Payload {
  return createPayload({ body });
}

/** Creates a fresh temp folder that is removed after the current test. */
export async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'deltav-dest-file-'));
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** Names in `folder` that are temp files of an atomic write. */
export async function tempFilesIn(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.endsWith('.deltav-tmp'));
}

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Fails early with a clear message when the child-process tests would load a missing build. */
export function assertBuilt(): void {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run "pnpm build" first, because child processes load the built package.`);
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end and collects its output. */
export function runChild(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
