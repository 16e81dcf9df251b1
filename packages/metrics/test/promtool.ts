import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Tests whether a Prometheus binary is on PATH. In CI it must be, so a missing binary fails there. */
function hasBinary(name: 'promtool' | 'prometheus'): boolean {
  const found = spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.CI === 'true') {
    throw new Error(`${name} not found on PATH, but CI=true requires it. Install Debian's "prometheus" package.`);
  }
  return found;
}

/** Tests whether promtool is on PATH. In CI it must be, so a missing promtool fails there. */
export function hasPromtool(): boolean {
  return hasBinary('promtool');
}

/** Tests whether the Prometheus server is on PATH. In CI it must be, so a missing server fails there. */
export function hasPrometheus(): boolean {
  return hasBinary('prometheus');
}

export interface ToolResult {
  status: number | null;
  output: string;
}

/** Runs `promtool check metrics` on a Prometheus text exposition and returns its combined output. */
export function promtoolCheck(text: string): ToolResult {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/**
 * Lints an OpenMetrics exposition with `promtool check metrics`. promtool (up to at least
 * 2.42) parses only the Prometheus text format, where an OpenMetrics counter family named
 * `x` with samples `x_total` reads as two families. So the counter family names get their
 * `_total` back and `# EOF` is dropped before the text goes to promtool; nothing else
 * changes. Throws when the text breaks an OpenMetrics rule that this rewrite would hide.
 */
export function promtoolCheckOpenMetrics(text: string): ToolResult {
  if (!text.endsWith('\n# EOF\n') || text.indexOf('# EOF') !== text.length - '# EOF\n'.length) {
    throw new Error('OpenMetrics text must end with exactly one "# EOF" line.');
  }
  const lines = text.slice(0, -'# EOF\n'.length).split('\n').slice(0, -1);
  if (lines.includes('')) throw new Error('OpenMetrics text must not contain blank lines.');

  const counters = new Set(lines.flatMap((line) => /^# TYPE (\S+) counter$/.exec(line)?.[1] ?? []));
  for (const name of counters) {
    if (name.endsWith('_total')) throw new Error(`OpenMetrics counter family ${name} must not end with _total.`);
  }
  const rewritten = lines.map((line) => {
    const header = /^# (HELP|TYPE) (\S+)( .*)$/.exec(line);
    if (header === null || !counters.has(header[2]!)) return line;
    return `# ${header[1]} ${header[2]}_total${header[3]}`;
  });
  return promtoolCheck(`${rewritten.join('\n')}\n`);
}

/** Runs a promtool subcommand on a YAML file written to a temporary folder. */
export function promtoolOnFiles(args: (folder: string) => string[], files: Record<string, string>): ToolResult {
  const folder = mkdtempSync(join(tmpdir(), 'deltav-promtool-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
    const result = spawnSync('promtool', args(folder), { encoding: 'utf8', cwd: folder });
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
