import { Pool } from 'undici';
import { runAsChild } from '../harness/child.js';
import { summarize, type LatencySummary } from '../harness/stats.js';

export interface LoadInput {
  url: string;
  headers: Record<string, string>;
  /** Concurrent keep-alive connections, each with one request at a time. */
  connections: number;
  /** Unmeasured time before the measured window, in milliseconds. */
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  scrapes: number;
  scrapesPerSecond: number;
  latency: LatencySummary;
  errors: number;
  /** Content-Type, Content-Encoding and body size of the last response, to show what the server served. */
  contentType: string;
  contentEncoding: string;
  bodyBytes: number;
}

/**
 * A load generator: `connections` loops that scrape the URL back to back over an undici
 * Pool until the time is up, each reading the whole body.
 */
runAsChild(async (input: LoadInput): Promise<LoadResult> => {
  const url = new URL(input.url);
  const pool = new Pool(url.origin, { connections: input.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let last = { contentType: '', contentEncoding: '', bodyBytes: 0 };

  const windowStart = performance.now() + input.warmupMs;
  const end = windowStart + input.durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const started = performance.now();
      try {
        const response = await pool.request({ path: url.pathname, method: 'GET', headers: input.headers });
        const body = await response.body.arrayBuffer();
        if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
        last = { contentType: String(response.headers['content-type'] ?? ''), contentEncoding: String(response.headers['content-encoding'] ?? 'identity'), bodyBytes: body.byteLength };
        if (started >= windowStart) latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: input.connections }, loop));
  const measuredSeconds = (performance.now() - windowStart) / 1000;
  await pool.close();

  return { scrapes: latencies.length, scrapesPerSecond: latencies.length / measuredSeconds, latency: summarize(latencies), errors, ...last };
});
