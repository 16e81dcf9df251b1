import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** A column of a printed table: its header and how a row's value is formatted. */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | undefined;
}

/** The machine and runtime a result was measured on. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemoryBytes: number;
  platform: string;
  node: string;
  /** Load averages over 1, 5 and 15 minutes when the benchmark started: other work on the machine adds noise. */
  loadAverage: number[];
  date: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((value) => round(value, 2)),
    date: new Date().toISOString(),
  };
}

/** Rounds to a number of decimal places; non-finite values pass through. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Formats `value / baseline` as `1.23x`, or `n/a` when either is missing or the baseline is 0. */
export function ratio(value: number | undefined, baseline: number | undefined): string {
  if (value === undefined || baseline === undefined || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  return `${(value / baseline).toFixed(2)}x`;
}

export const MiB = 1024 * 1024;

/** Prints rows as an aligned text table on standard output. */
export function printTable<Row>(title: string, columns: readonly Column<Row>[], rows: readonly Row[]): void {
  const cells = rows.map((row) => columns.map((column) => formatCell(column.value(row))));
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((line) => line[index]!.length)));
  const line = (values: string[]): string => values.map((value, index) => (index === 0 ? value.padEnd(widths[index]!) : value.padStart(widths[index]!))).join('  ');

  process.stdout.write(`\n${title}\n`);
  process.stdout.write(`${line(columns.map((column) => column.header))}\n`);
  process.stdout.write(`${line(widths.map((width) => '-'.repeat(width)))}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
}

function formatCell(value: string | number | undefined): string {
  if (value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return 'n/a';
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) < 1) return value.toPrecision(3);
  return value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
}

/** Returns the folder of result files: `bench/results`, or `bench/results/quick` for quick runs. */
export function resultsFolder(quick: boolean): string {
  return fileURLToPath(new URL(quick ? '../../results/quick/' : '../../results/', import.meta.url));
}

/** Writes a benchmark's figures as `<name>.json` in the results folder and returns the path. */
export async function writeResult(name: string, quick: boolean, data: unknown): Promise<string> {
  const folder = resultsFolder(quick);
  await mkdir(folder, { recursive: true });
  const path = `${folder}${name}.json`;
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}
