import type { Benchmark, BenchOptions } from '../harness/benchmark.js';
import { runChild } from '../harness/child.js';
import { machineInfo, printTable, ratio, round, writeResult, type Column } from '../harness/report.js';
import type { LoadInput, LoadResult } from '../harness/periodic-load.js';

const CONTENDERS = [
  { name: 'setInterval (floor)', script: new URL('./set-interval.js', import.meta.url), metrics: false },
  { name: 'croner protect (peer)', script: new URL('./croner.js', import.meta.url), metrics: false },
  { name: 'deltav metrics off', script: new URL('./deltav.js', import.meta.url), metrics: false },
  { name: 'deltav metrics on', script: new URL('./deltav.js', import.meta.url), metrics: true },
] as const;

interface Row extends LoadResult {
  contender: string;
  latenessP99VsFloor: string;
  latenessP99VsCroner: string;
  cpuVsFloor: string;
  cpuVsCroner: string;
}

async function run({ quick }: BenchOptions): Promise<unknown> {
  const sizes = quick ? [100] : [1000, 10_000];
  const timing = quick ? { warmupMs: 1000, durationMs: 3000 } : { warmupMs: 5000, durationMs: 60_000 };
  const machine = machineInfo();
  const tables = [];

  for (const pipelines of sizes) {
    const results: LoadResult[] = [];
    for (const contender of CONTENDERS) {
      const input: LoadInput = { pipelines, intervalMs: 1000, ...timing, metrics: contender.metrics };
      results.push(await runChild<LoadResult>(contender.script, input, { timeoutMs: timing.warmupMs + timing.durationMs + 120_000 }));
    }

    const [floor, croner] = results as [LoadResult, LoadResult];
    const rows: Row[] = results.map((result, index) => ({
      ...result,
      contender: CONTENDERS[index]!.name,
      latenessP99VsFloor: `${round(result.lateness.p99 - floor.lateness.p99, 2)} ms`,
      latenessP99VsCroner: ratio(result.lateness.p99, croner.lateness.p99),
      cpuVsFloor: ratio(result.cpuSecondsPer1000Runs, floor.cpuSecondsPer1000Runs),
      cpuVsCroner: ratio(result.cpuSecondsPer1000Runs, croner.cpuSecondsPer1000Runs),
    }));
    printTable(`Scheduler load: ${pipelines} pipelines, 1 s interval, ${timing.durationMs / 1000} s measured after ${timing.warmupMs / 1000} s warm-up`, COLUMNS, rows);
    tables.push({ pipelines, ...timing, rows });
  }

  const path = await writeResult('scheduler-load', quick, { benchmark: 'scheduler-load', quick, machine, tables });
  process.stdout.write(`Written to ${path}\n`);
  return tables;
}

const COLUMNS: Column<Row>[] = [
  { header: 'contender', value: (row) => row.contender },
  { header: 'runs', value: (row) => row.runs },
  { header: 'late p50 ms', value: (row) => row.lateness.p50 },
  { header: 'late p99 ms', value: (row) => row.lateness.p99 },
  { header: 'late max ms', value: (row) => row.lateness.max },
  { header: 'p99 - floor', value: (row) => row.latenessP99VsFloor },
  { header: 'p99 / croner', value: (row) => row.latenessP99VsCroner },
  { header: 'CPU s/1k runs', value: (row) => round(row.cpuSecondsPer1000Runs, 4) },
  { header: 'CPU / floor', value: (row) => row.cpuVsFloor },
  { header: 'CPU / croner', value: (row) => row.cpuVsCroner },
  { header: 'heap B/pipeline', value: (row) => Math.round(row.heapBytesPerPipeline) },
  { header: 'RSS B/pipeline', value: (row) => Math.round(row.rssBytesPerPipeline) },
  { header: 'failures', value: (row) => row.failures },
];

export const schedulerLoad: Benchmark = {
  name: 'scheduler-load',
  description: 'run-start lateness, CPU and memory of many no-op pipelines against setInterval and croner',
  run,
};
