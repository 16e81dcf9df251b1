import { parseArgs } from 'node:util';
import type { Benchmark } from './harness/benchmark.js';
import { coldStart } from './cold-start/bench.js';
import { exporter } from './exporter/bench.js';
import { httpLarge } from './http-large/bench.js';
import { httpSmall } from './http-small/bench.js';
import { schedulerLoad } from './scheduler-load/bench.js';

const BENCHMARKS: Benchmark[] = [schedulerLoad, exporter, httpSmall, httpLarge, coldStart];

const USAGE = `Usage: pnpm bench [--quick] [name...]

Runs the deltav benchmarks, prints a table per benchmark and writes JSON to
bench/results/<name>.json (bench/results/quick/<name>.json with --quick).

  --quick   run each benchmark briefly with small counts (for CI; figures are not meaningful)
  name      run only these benchmarks: ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')}
`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { quick: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }

  const unknown = positionals.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown benchmark: ${unknown.join(', ')}.\n\n${USAGE}`);
    return 2;
  }

  const selected = positionals.length === 0 ? BENCHMARKS : BENCHMARKS.filter((benchmark) => positionals.includes(benchmark.name));
  const quick = values.quick === true;
  for (const benchmark of selected) {
    const started = performance.now();
    process.stdout.write(`\n== ${benchmark.name}${quick ? ' (quick)' : ''}: ${benchmark.description}\n`);
    await benchmark.run({ quick });
    process.stdout.write(`== ${benchmark.name} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
