import { spawnSync } from 'node:child_process';

/** Whether promtool is on PATH. In CI it must be, so a missing promtool fails there. */
export function hasPromtool(): boolean {
  const found = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.CI === 'true') {
    throw new Error('promtool not found on PATH, but CI=true requires it. Install Debian\'s "prometheus" package.');
  }
  return found;
}

/** Runs `promtool check metrics` on an exposition and returns its combined output. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
