/** The tail of each path's queue, shared by every copy of this package in the process. */
const tails: Map<string, Promise<void>> = ((globalThis as Record<symbol, unknown>)[Symbol.for('deltav.dest-file.pathQueues')] ??= new Map<
  string,
  Promise<void>
>()) as Map<string, Promise<void>>;

/**
 * Runs `task` after every task queued earlier for the same `path` in this process has
 * settled, so writers of one file never overlap, whichever destination they belong to.
 */
export async function withPathLock<T>(path: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(path) ?? Promise.resolve();
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => done);
  tails.set(path, tail);

  await previous;
  try {
    return await task();
  } finally {
    release();
    if (tails.get(path) === tail) tails.delete(path);
  }
}
