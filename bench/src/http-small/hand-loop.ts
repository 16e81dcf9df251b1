import { randomBytes } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { runAsChild } from '../harness/child.js';
import { measureLoad, type LoadInput } from '../harness/periodic-load.js';

/**
 * The baseline: what a careful engineer writes by hand. Each job has one timer, re-armed
 * for the next slot of a fixed grid, and skips a slot while its previous run is in flight.
 * All jobs share one undici Agent and write with the same atomic replace as
 * FileDestination: temp file, fsync, rename, fsync of the folder.
 */
runAsChild((input: LoadInput) =>
  measureLoad(input, async (recorder) => {
    if (input.url === undefined || input.folder === undefined) throw new Error('HTTP to file contender started without url and folder.');
    const { url, folder, intervalMs } = input;
    await mkdir(folder, { recursive: true });
    const dispatcher = new Agent();
    const timers = new Set<NodeJS.Timeout>();
    let running = true;

    const job = (index: number): void => {
      const target = join(folder, `item_${index}.json`);
      let due = performance.now() + intervalMs;
      let busy = false;

      const tick = async (): Promise<void> => {
        const now = performance.now();
        const late = now - due;
        while (due <= now) due += intervalMs;
        arm();
        if (busy) return;

        busy = true;
        recorder.started(late);
        try {
          const response = await request(`${url}/items/${index}`, { dispatcher });
          const body = Buffer.from(await response.body.arrayBuffer());
          if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
          await replaceFile(target, body);
          recorder.finished(true);
        } catch {
          recorder.finished(false);
        } finally {
          busy = false;
        }
      };
      const arm = (): void => {
        if (!running) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          void tick();
        }, due - performance.now());
        timers.add(timer);
      };
      arm();
    };

    for (let i = 0; i < input.pipelines; i++) job(i);
    return {
      stop: async () => {
        running = false;
        for (const timer of timers) clearTimeout(timer);
        await dispatcher.close();
      },
    };
  }),
);

async function replaceFile(target: string, body: Buffer): Promise<void> {
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temp, 'wx');
  try {
    await file.writeFile(body);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, target);
  const dir = await open(join(target, '..'), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
