import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Creates a temporary folder that is removed when the test ends. */
export async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'deltav-runner-'));
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** Starts a server on 127.0.0.1 and an ephemeral port; it is closed when the test ends. */
export async function startServer(handler: http.RequestListener): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  const server = http.createServer((request, response) => {
    count++;
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns the deltav command; the process is killed if the test ends first. */
export function spawnCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { child: ChildProcess; finished: Promise<Finished>; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, finished, stderr: () => stderr };
}

/** Writes `lines` joined by newlines to `folder/name` and returns the file path. */
export async function writeLines(folder: string, name: string, lines: readonly string[]): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/** One parsed line of the runner's JSON log. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

/** Parses the JSON log lines written so far; lines that are not JSON are skipped. */
export function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Returns a TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a server that counts requests per path; it is closed when the test ends. */
export async function startCountingServer(body: (path: string) => string = (path) => `{"path":"${path}"}`): Promise<{ url: string; count: (path: string) => number }> {
  const counts = new Map<string, number>();
  const server = await startServer((request, response) => {
    const path = request.url ?? '/';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    response.writeHead(200, { 'content-type': 'application/json' }).end(body(path));
  });
  return { url: server.url, count: (path) => counts.get(path) ?? 0 };
}
