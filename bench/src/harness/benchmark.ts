/** Options of one benchmark run. */
export interface BenchOptions {
  /** Runs briefly with small counts, so CI can check that the benchmark still works. */
  quick: boolean;
}

/** One benchmark: a name for the command line and the result file, and its body. */
export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<unknown>;
}
