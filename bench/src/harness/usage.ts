/** CPU and memory of the current process at one instant. */
export interface UsageSnapshot {
  /** User plus system CPU time since the process started, in microseconds. */
  cpuMicros: number;
  heapUsedBytes: number;
  rssBytes: number;
  /** Peak resident set size since the process started, in bytes. */
  maxRssBytes: number;
}

/**
 * Runs a full garbage collection when the process has `--expose-gc` (the benchmark
 * children do), so heap figures count live objects only.
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

export function usageSnapshot(): UsageSnapshot {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMicros: cpu.user + cpu.system,
    heapUsedBytes: memory.heapUsed,
    rssBytes: memory.rss,
    // resourceUsage() reports maxRSS in kibibytes.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** CPU seconds spent between two snapshots. */
export function cpuSecondsBetween(before: UsageSnapshot, after: UsageSnapshot): number {
  return (after.cpuMicros - before.cpuMicros) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
