/** Summary of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Returns the `q` quantile (0 to 1) of sorted samples by the nearest-rank method, so the
 * result is always one of the samples.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!;
}

/** Sorts a copy of the samples and returns count, p50, p99, max and mean. */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

/** Returns the median of a few values, such as the wall times of repeated runs. */
export function median(values: readonly number[]): number {
  return summarize(values).p50;
}

/**
 * A fixed-size sample buffer. It is allocated and touched up front, so recording adds no
 * heap or resident memory to what a benchmark measures. Samples past the capacity are
 * counted but dropped.
 */
export class SampleBuffer {
  readonly #values: Float64Array;
  #length = 0;
  #dropped = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(capacity).fill(0);
  }

  push(value: number): void {
    if (this.#length === this.#values.length) {
      this.#dropped++;
      return;
    }
    this.#values[this.#length++] = value;
  }

  get length(): number {
    return this.#length;
  }

  /** Samples that did not fit. */
  get dropped(): number {
    return this.#dropped;
  }

  summarize(): LatencySummary {
    return summarize(this.#values.subarray(0, this.#length));
  }
}
