import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchOptions } from '../harness/benchmark.js';
import { Child, runChild } from '../harness/child.js';
import type { LoadInput, LoadResult } from '../harness/periodic-load.js';
import { machineInfo, printTable, ratio, writeResult, type Column } from '../harness/report.js';
import type { ServerInput } from './server.js';

const SERVER = new URL('./server.js', import.meta.url);
const CONTENDERS = [
  { name: 'hand-written undici + fs', script: new URL('./hand-loop.js', import.meta.url) },
  { name: 'deltav HttpSource + FileDestination', script: new URL('./deltav.js', import.meta.url) },
] as const;

interface Row extends LoadResult {
  contender: string;
  cpuMsPerRun: number;
  cpuVsHand: string;
}

async function run({ quick }: BenchOptions): Promise<unknown> {
  const pipelines = quick ? 100 : 1000;
  const timing = quick ? { warmupMs: 1000, durationMs: 3000 } : { warmupMs: 5000, durationMs: 30_000 };
  const bodyBytes = 4096;
  const machine = machineInfo();

  const server = new Child<{ requests: number }>(SERVER, { bodyBytes } satisfies ServerInput, { timeoutMs: 600_000 });
  const results: LoadResult[] = [];
  try {
    const { url } = await server.ready<{ url: string }>();
    for (const contender of CONTENDERS) {
      const folder = await mkdtemp(join(tmpdir(), 'deltav-bench-small-'));
      try {
        const input: LoadInput = { pipelines, intervalMs: 1000, ...timing, url, folder };
        results.push(await runChild<LoadResult>(contender.script, input, { timeoutMs: timing.warmupMs + timing.durationMs + 120_000 }));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    }
  } finally {
    server.stop();
    await server.result().catch(() => undefined);
  }

  const hand = results[0]!;
  const rows: Row[] = results.map((result, index) => ({
    ...result,
    contender: CONTENDERS[index]!.name,
    cpuMsPerRun: result.cpuSecondsPer1000Runs,
    cpuVsHand: ratio(result.cpuSecondsPer1000Runs, hand.cpuSecondsPer1000Runs),
  }));
  printTable(`HTTP to file, many small: ${pipelines} pipelines, ${bodyBytes} B JSON every second, ${timing.durationMs / 1000} s measured`, COLUMNS, rows);
  const path = await writeResult('http-small', quick, { benchmark: 'http-small', quick, machine, pipelines, bodyBytes, ...timing, rows });
  process.stdout.write(`Written to ${path}\n`);
  return rows;
}

const COLUMNS: Column<Row>[] = [
  { header: 'contender', value: (row) => row.contender },
  { header: 'runs', value: (row) => row.runs },
  { header: 'ok in window', value: (row) => row.successes },
  { header: 'failed', value: (row) => row.failures },
  { header: 'late p50 ms', value: (row) => row.lateness.p50 },
  { header: 'late p99 ms', value: (row) => row.lateness.p99 },
  { header: 'late max ms', value: (row) => row.lateness.max },
  { header: 'CPU ms/run', value: (row) => row.cpuMsPerRun },
  { header: 'CPU / hand', value: (row) => row.cpuVsHand },
  { header: 'peak RSS MiB', value: (row) => row.maxRssBytes / 1024 / 1024 },
];

export const httpSmall: Benchmark = {
  name: 'http-small',
  description: 'many pipelines polling 4 KiB JSON into files, against a hand-written undici and fs loop',
  run,
};
