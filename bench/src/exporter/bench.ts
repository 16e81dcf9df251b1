import type { Benchmark, BenchOptions } from '../harness/benchmark.js';
import { Child, runChild } from '../harness/child.js';
import { machineInfo, printTable, ratio, round, writeResult, type Column } from '../harness/report.js';
import type { LoadInput, LoadResult } from './load.js';
import type { ServerInput, ServerResult } from './server.js';

const SERVER = new URL('./server.js', import.meta.url);
const LOAD = new URL('./load.js', import.meta.url);

const OPENMETRICS_ACCEPT = 'application/openmetrics-text; version=1.0.0';
const VARIANTS = [
  { format: 'text', gzip: false },
  { format: 'text', gzip: true },
  { format: 'openmetrics', gzip: false },
  { format: 'openmetrics', gzip: true },
] as const;

interface Row {
  variant: string;
  server: ServerInput['server'];
  load: LoadResult;
  serverCpuMsPerScrape: number;
  scrapesVsBare: string;
  /** Whether the response had the requested format and encoding. */
  served: string;
}

async function run({ quick }: BenchOptions): Promise<unknown> {
  const pipelines = quick ? 100 : 1000;
  const timing = quick ? { warmupMs: 300, durationMs: 2000 } : { warmupMs: 1000, durationMs: 10_000 };
  const connections = 2;
  const machine = machineInfo();
  const rows: Row[] = [];

  for (const variant of VARIANTS) {
    const headers: Record<string, string> = {
      accept: variant.format === 'openmetrics' ? OPENMETRICS_ACCEPT : 'text/plain; version=0.0.4',
      ...(variant.gzip ? { 'accept-encoding': 'gzip' } : {}),
    };
    const label = `${variant.format}${variant.gzip ? ' + gzip' : ''}`;
    let bare: LoadResult | undefined;

    for (const server of ['bare', 'deltav'] as const) {
      const serverInput: ServerInput = { server, pipelines, format: variant.format, gzip: variant.gzip };
      const child = new Child<ServerResult>(SERVER, serverInput, { timeoutMs: timing.warmupMs + timing.durationMs + 120_000 });
      const { url } = await child.ready<{ url: string }>();
      const loadInput: LoadInput = { url, headers, connections, ...timing };
      const load = await runChild<LoadResult>(LOAD, loadInput, { timeoutMs: timing.warmupMs + timing.durationMs + 60_000 });
      child.stop();
      const usage = await child.result();
      bare ??= load;

      rows.push({
        variant: label,
        server,
        load,
        serverCpuMsPerScrape: (usage.cpuSeconds * 1000) / load.scrapes,
        scrapesVsBare: ratio(load.scrapesPerSecond, bare.scrapesPerSecond),
        served: describeServed(load, variant.format, variant.gzip),
      });
    }
  }

  printTable(`Exporter: ${pipelines} pipelines' series, ${connections} connections, ${timing.durationMs / 1000} s per row`, COLUMNS, rows);
  const path = await writeResult('exporter', quick, { benchmark: 'exporter', quick, machine, pipelines, connections, ...timing, rows });
  process.stdout.write(`Written to ${path}\n`);
  return rows;
}

function describeServed(load: LoadResult, format: 'text' | 'openmetrics', gzip: boolean): string {
  const formatServed = load.contentType.startsWith('application/openmetrics-text') ? 'openmetrics' : 'text';
  const gzipServed = load.contentEncoding === 'gzip';
  const notes = [];
  if (formatServed !== format) notes.push(`${formatServed} instead of ${format}`);
  if (gzipServed !== gzip) notes.push(gzipServed ? 'gzip unasked' : 'no gzip');
  return notes.length === 0 ? 'as requested' : notes.join(', ');
}

const COLUMNS: Column<Row>[] = [
  { header: 'requested', value: (row) => row.variant },
  { header: 'server', value: (row) => row.server },
  { header: 'served', value: (row) => row.served },
  { header: 'body KiB', value: (row) => round(row.load.bodyBytes / 1024, 1) },
  { header: 'scrapes/s', value: (row) => row.load.scrapesPerSecond },
  { header: 'vs bare', value: (row) => row.scrapesVsBare },
  { header: 'p50 ms', value: (row) => row.load.latency.p50 },
  { header: 'p99 ms', value: (row) => row.load.latency.p99 },
  { header: 'server CPU ms/scrape', value: (row) => row.serverCpuMsPerScrape },
  { header: 'errors', value: (row) => row.load.errors },
];

export const exporter: Benchmark = {
  name: 'exporter',
  description: 'scrape latency and scrapes per second of the exporter against a bare http.createServer',
  run,
};
