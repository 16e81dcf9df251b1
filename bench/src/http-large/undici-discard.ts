import { Agent } from 'undici';
import { runAsChild } from '../harness/child.js';
import { usageSnapshot } from '../harness/usage.js';
import type { LargeResult } from './deltav.js';

/** The floor for memory: one undici request whose body is read and dropped. */
runAsChild(async (input: { url: string; bytes: number }): Promise<LargeResult> => {
  const url = new URL(input.url);
  const agent = new Agent();
  const started = performance.now();
  const response = await agent.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'GET' });
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Buffer).byteLength;
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  if (bytes !== input.bytes) throw new Error(`The undici read received ${bytes} bytes, expected ${input.bytes}.`);
  return { bytes, seconds, maxRssBytes: usageSnapshot().maxRssBytes };
});
