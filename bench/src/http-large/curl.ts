import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { LargeResult } from './deltav.js';

export const CURL = '/usr/bin/curl';

/** Reads a process's peak resident set (VmHWM) from /proc, in bytes; 0 once it has gone. */
async function peakRss(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Downloads a URL with `curl -o` and returns its throughput from curl's own size and
 * total time. Peak RSS is sampled from /proc every 10 ms while curl runs, so a peak in its
 * last 10 ms could be missed. curl's memory stays flat during a download.
 */
export async function curlDownload(url: string, path: string): Promise<LargeResult> {
  const curl = spawn(CURL, ['--silent', '--show-error', '--fail', '--output', path, '--write-out', '%{size_download} %{time_total}', url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  curl.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  curl.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  let maxRssBytes = 0;
  const exited = new Promise<number | null>((resolve, reject) => {
    curl.once('error', reject);
    curl.once('close', (code) => resolve(code));
  });
  const sampler = setInterval(() => {
    void peakRss(curl.pid!).then((bytes) => {
      maxRssBytes = Math.max(maxRssBytes, bytes);
    });
  }, 10);
  const code = await exited.finally(() => clearInterval(sampler));
  if (code !== 0) throw new Error(`curl exited with code ${code}: ${stderr.trim()}`);

  const [size, seconds] = stdout.trim().split(' ').map(Number) as [number, number];
  return { bytes: size, seconds, maxRssBytes };
}
