import { SampleBuffer, type LatencySummary } from './stats.js';
import { collectGarbage, cpuSecondsBetween, sleep, usageSnapshot } from './usage.js';

/** The input of every contender that runs jobs on an interval. */
export interface LoadInput {
  pipelines: number;
  intervalMs: number;
  /** Time after start that is not measured, so start-up and JIT warm-up do not count, in milliseconds. */
  warmupMs: number;
  /** The measured time, in milliseconds. */
  durationMs: number;
  /** For the deltav contender: instrument the scheduler into a fresh prom-client registry. */
  metrics?: boolean;
  /** For contenders that talk to a server: its base URL. */
  url?: string;
  /** For contenders that write files: the folder to write them in. */
  folder?: string;
}

export interface LoadResult {
  pipelines: number;
  /** Runs started within the measured window. */
  runs: number;
  /** Run-start lateness against each contender's own target time, in milliseconds. */
  lateness: LatencySummary;
  cpuSeconds: number;
  cpuSecondsPer1000Runs: number;
  heapBytesPerPipeline: number;
  rssBytesPerPipeline: number;
  maxRssBytes: number;
  /** Runs that ended in success within the measured window. */
  successes: number;
  /** Runs that ended in failure; any at all means the figures are not comparable. */
  failures: number;
  /** Samples that did not fit the preallocated buffer. */
  droppedSamples: number;
  /** Contender-specific figures, such as the drift of `setInterval`. */
  extra?: Record<string, number>;
}

/** A contender's jobs, started, and how to stop them. */
export interface RunningLoad {
  stop(): Promise<void> | void;
  /** Figures only this contender has, read after the measured window. */
  extra?(): Record<string, number>;
}

/** Called by a contender at each run start, with its lateness in milliseconds, and at each run end. */
export interface Recorder {
  started(lateMs: number): void;
  finished(success: boolean): void;
}

/** A no-op source and destination, the same for every contender. */
const PAYLOAD = new Uint8Array([123, 125]);
export async function noopFetch(): Promise<Uint8Array> {
  return PAYLOAD;
}
export async function noopWrite(_body: Uint8Array): Promise<void> {}

/**
 * Starts a contender's jobs, waits out the warm-up, then measures lateness, CPU and memory
 * over the measured window. Memory per pipeline is the growth of the heap and of the
 * resident set from before the jobs were made to the end of the window, after a full GC.
 */
export async function measureLoad(input: LoadInput, start: (recorder: Recorder) => RunningLoad | Promise<RunningLoad>): Promise<LoadResult> {
  const expectedRuns = Math.ceil(input.pipelines * ((input.durationMs / input.intervalMs) + 2));
  const samples = new SampleBuffer(expectedRuns);
  let measuring = false;
  let runs = 0;
  let successes = 0;
  let failures = 0;
  const recorder: Recorder = {
    started(lateMs) {
      if (!measuring) return;
      runs++;
      samples.push(lateMs);
    },
    finished(success) {
      if (!measuring) return;
      if (success) successes++;
      else failures++;
    },
  };

  collectGarbage();
  const base = usageSnapshot();
  const load = await start(recorder);

  // Half an interval more keeps the window's edges between slots, so each job's runs in it
  // number exactly durationMs / intervalMs.
  await sleep(input.warmupMs + input.intervalMs / 2);
  measuring = true;
  const before = usageSnapshot();
  await sleep(input.durationMs);
  measuring = false;
  const after = usageSnapshot();

  collectGarbage();
  const settled = usageSnapshot();
  const extra = load.extra?.();
  await load.stop();

  const cpuSeconds = cpuSecondsBetween(before, after);
  return {
    pipelines: input.pipelines,
    runs,
    lateness: samples.summarize(),
    cpuSeconds,
    cpuSecondsPer1000Runs: runs === 0 ? Number.NaN : (cpuSeconds / runs) * 1000,
    heapBytesPerPipeline: (settled.heapUsedBytes - base.heapUsedBytes) / input.pipelines,
    rssBytesPerPipeline: (settled.rssBytes - base.rssBytes) / input.pipelines,
    maxRssBytes: settled.maxRssBytes,
    successes,
    failures,
    droppedSamples: samples.dropped,
    ...(extra === undefined ? {} : { extra }),
  };
}
