import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/node-runner.mjs', import.meta.url));

function runNodeTest(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  // The fixture imports the built package by name, so `pnpm build` must have run.
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', FIXTURE], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('node:test runner', () => {
  it('runs the checks as tests', async () => {
    const { code, output } = await runNodeTest({});

    expect(output).toContain('source conformance: clock');
    expect(output).toContain('destination conformance: memory');
    expect(output).toMatch(/ℹ pass 15\n/);
    expect(output).toMatch(/ℹ skipped 3\n/);
    expect(output).toMatch(/ℹ fail 0\n/);
    expect(code).toBe(0);
  });

  it('fails on a broken plugin', async () => {
    const { code, output } = await runNodeTest({ DELTAV_FIXTURE_BROKEN: '1' });

    expect(output).toContain('fetch resolved although its signal was already aborted. Reject with context.signal.reason once the signal aborted.');
    expect(output).toMatch(/ℹ fail 1\n/);
    expect(code).toBe(1);
  });
});
