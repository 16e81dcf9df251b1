import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchOptions } from '../harness/benchmark.js';
import { machineInfo, printTable, round, writeResult, type Column } from '../harness/report.js';
import { median } from '../harness/stats.js';

// The runner is found beside the bench package rather than as a dependency, because pnpm
// would otherwise try to link its `deltav` bin before the runner is built.
const runnerFolder = fileURLToPath(new URL('../../../apps/runner/', import.meta.url));
const CLI = join(runnerFolder, 'dist', 'cli.js');
const EXAMPLE = join(runnerFolder, 'examples', 'self-scrape.yaml');

/** Returns a port that was free a moment ago, by binding port 0 and closing. */
async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Milliseconds from spawning `node -e 0` to its exit. */
async function bareNode(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`node -e 0 exited with code ${code}.`);
  return performance.now() - started;
}

/**
 * Milliseconds from spawning `deltav run` on the example, unchanged, to its first `run
 * finished` log line with outcome success on standard error; then the runner is stopped
 * with SIGTERM. The example takes its port from METRICS_PORT and writes below `folder`.
 */
async function runnerFirstRun(folder: string, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', '--config', EXAMPLE, '--log-format', 'json'], {
    cwd: folder,
    env: { ...process.env, METRICS_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = once(child, 'exit');
  const lines: string[] = [];
  try {
    for await (const line of createInterface({ input: child.stderr })) {
      lines.push(line);
      const entry = parseLogLine(line);
      if (entry?.msg === 'run finished' && entry.outcome === 'success') return performance.now() - started;
      if (lines.length > 200) break;
    }
    throw new Error(`The runner ended without a successful run. Its log:\n${lines.join('\n')}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function parseLogLine(line: string): { msg?: unknown; outcome?: unknown } | undefined {
  try {
    return JSON.parse(line) as { msg?: unknown; outcome?: unknown };
  } catch {
    return undefined;
  }
}

interface Row {
  contender: string;
  samplesMs: number[];
  medianMs: number;
  overBareMs: number;
}

async function run({ quick }: BenchOptions): Promise<unknown> {
  const repeats = quick ? 3 : 9;
  const machine = machineInfo();
  const folder = await mkdtemp(join(tmpdir(), 'deltav-bench-cold-'));
  const bare: number[] = [];
  const runner: number[] = [];
  try {
    // Alternate the two, so slow phases of a noisy machine hit both alike.
    for (let i = 0; i < repeats; i++) {
      bare.push(await bareNode());
      runner.push(await runnerFirstRun(folder, await freePort()));
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }

  const bareMedian = median(bare);
  const rows: Row[] = [
    { contender: 'node -e 0 (start to exit)', samplesMs: bare, medianMs: bareMedian, overBareMs: 0 },
    { contender: 'deltav run (start to first successful run)', samplesMs: runner, medianMs: median(runner), overBareMs: median(runner) - bareMedian },
  ];
  printTable(`Runner cold start: median of ${repeats} starts`, COLUMNS, rows);
  const path = await writeResult('cold-start', quick, { benchmark: 'cold-start', quick, machine, repeats, rows });
  process.stdout.write(`Written to ${path}\n`);
  return rows;
}

const COLUMNS: Column<Row>[] = [
  { header: 'contender', value: (row) => row.contender },
  { header: 'median ms', value: (row) => row.medianMs },
  { header: 'min ms', value: (row) => Math.min(...row.samplesMs) },
  { header: 'max ms', value: (row) => Math.max(...row.samplesMs) },
  { header: 'over bare node ms', value: (row) => round(row.overBareMs, 1) },
];

export const coldStart: Benchmark = {
  name: 'cold-start',
  description: 'process start to the first successful run of the runner example, against node -e 0',
  run,
};
