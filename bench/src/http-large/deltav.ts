import { stat } from 'node:fs/promises';
import { Pipeline, Scheduler } from '@deltav/core';
import { FileDestination } from '@deltav/dest-file';
import { HttpSource } from '@deltav/source-http';
import { runAsChild } from '../harness/child.js';
import { usageSnapshot } from '../harness/usage.js';

export interface LargeInput {
  url: string;
  bytes: number;
  path: string;
  /** The destination's fsync policy: `always` is deltav's default, `never` matches `curl -o`. */
  fsync: 'always' | 'never';
}

export interface LargeResult {
  bytes: number;
  seconds: number;
  maxRssBytes: number;
}

/** The deltav contender: one run of an HttpSource to FileDestination pipeline. */
runAsChild(async (input: LargeInput): Promise<LargeResult> => {
  // The body streams to the file; maxBodyBytes still bounds the stream, so it is raised past the body.
  const source = new HttpSource({ url: input.url, stream: true, maxBodyBytes: input.bytes + 1, bodyTimeoutMs: 600_000 });
  const scheduler = new Scheduler();
  scheduler.addPipeline(new Pipeline(source, new FileDestination({ path: input.path, fsync: input.fsync }), { name: 'large', timeoutMs: 3_600_000 }));

  const result = await scheduler.runNow('large');
  await scheduler.stop();
  if (result.outcome !== 'success') throw new Error(`The large download failed: ${result.error?.message ?? result.outcome}`);
  const written = (await stat(input.path)).size;
  if (written !== input.bytes) throw new Error(`The large download wrote ${written} bytes, expected ${input.bytes}.`);

  return { bytes: written, seconds: result.durationMs / 1000, maxRssBytes: usageSnapshot().maxRssBytes };
});
