import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchOptions } from '../harness/benchmark.js';
import { Child, runChild } from '../harness/child.js';
import { MiB, machineInfo, printTable, ratio, round, writeResult, type Column } from '../harness/report.js';
import { curlDownload } from './curl.js';
import type { LargeInput, LargeResult } from './deltav.js';

const SERVER = new URL('./server.js', import.meta.url);
const DELTAV = new URL('./deltav.js', import.meta.url);
const UNDICI = new URL('./undici-discard.js', import.meta.url);

interface Row extends LargeResult {
  contender: string;
  mibPerSecond: number;
  throughputVsCurl: string;
}

async function run({ quick }: BenchOptions): Promise<unknown> {
  const bytes = quick ? 64 * MiB : 1024 * MiB;
  const machine = machineInfo();
  const folder = await mkdtemp(join(tmpdir(), 'deltav-bench-large-'));
  const server = new Child<{ requests: number }>(SERVER, {}, { timeoutMs: 900_000 });
  const results: { contender: string; result: LargeResult }[] = [];

  try {
    const { url: origin } = await server.ready<{ url: string }>();
    const url = `${origin}/bytes/${bytes}`;
    const path = join(folder, 'large.bin');

    results.push({ contender: 'curl -o', result: await curlDownload(url, path) });
    await rm(path, { force: true });
    for (const fsync of ['always', 'never'] as const) {
      const input: LargeInput = { url, bytes, path, fsync };
      const contender = `deltav HttpSource + FileDestination, fsync ${fsync}`;
      results.push({ contender, result: await runChild<LargeResult>(DELTAV, input, { timeoutMs: 600_000 }) });
      await rm(path, { force: true });
    }
    // The memory floor of Node.js and undici alone: the body is read and dropped, nothing is written.
    results.push({ contender: 'undici request, body discarded', result: await runChild<LargeResult>(UNDICI, { url, bytes }, { timeoutMs: 600_000 }) });
  } finally {
    server.stop();
    await server.result().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
  }

  const curl = results[0]!.result;
  const rows: Row[] = results.map(({ contender, result }) => ({
    ...result,
    contender,
    mibPerSecond: result.bytes / MiB / result.seconds,
    throughputVsCurl: ratio(result.bytes / result.seconds, curl.bytes / curl.seconds),
  }));
  printTable(`HTTP to file, one large: ${bytes / MiB} MiB body from a local server`, COLUMNS, rows);
  const path = await writeResult('http-large', quick, { benchmark: 'http-large', quick, machine, bytes, rows });
  process.stdout.write(`Written to ${path}\n`);
  return rows;
}

const COLUMNS: Column<Row>[] = [
  { header: 'contender', value: (row) => row.contender },
  { header: 'MiB', value: (row) => row.bytes / MiB },
  { header: 'seconds', value: (row) => round(row.seconds, 3) },
  { header: 'MiB/s', value: (row) => row.mibPerSecond },
  { header: 'vs curl', value: (row) => row.throughputVsCurl },
  { header: 'peak RSS MiB', value: (row) => row.maxRssBytes / MiB },
];

export const httpLarge: Benchmark = {
  name: 'http-large',
  description: 'throughput and peak RSS of one large download into a file, against curl -o',
  run,
};
