import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { readdir, readlink } from 'node:fs/promises';

/**
 * Async resource types that hold the event loop or a system resource until closed. Requests
 * such as `FSREQCALLBACK` and promises are left out: they end on their own. `FILEHANDLE`
 * is left out too, because Node emits its destroy hook on garbage collection rather than
 * on `close()`; open files are found through `/proc/self/fd` instead.
 */
const HANDLE_TYPES = new Set([
  'Timeout',
  'Immediate',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'PIPEWRAP',
  'PIPESERVERWRAP',
  'UDPWRAP',
  'TTYWRAP',
  'PROCESSWRAP',
  'SIGNALWRAP',
  'FSEVENTWRAP',
  'STATWATCHER',
  'TLSWRAP',
  'HTTP2SESSION',
  'WORKER',
  'MESSAGEPORT',
]);

const scope = new AsyncLocalStorage<symbol>();

/** Handles created inside `run` and not yet destroyed, grouped by type, and files it opened and left open. */
export interface HandleTracker {
  open(): Promise<Map<string, number>>;
  stop(): void;
}

/**
 * Runs `work` while recording every handle it creates, directly or through callbacks it
 * schedules. Handles that other code creates meanwhile, such as the test runner's own
 * timers, belong to other async contexts and are not recorded. Unreferenced timers are
 * recorded too, because they still run their callbacks.
 */
export async function trackHandles<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; tracker: HandleTracker }> {
  const token = Symbol('deltav conformance');
  const live = new Map<number, string>();
  const hook = createHook({
    init(asyncId, type) {
      if (HANDLE_TYPES.has(type) && scope.getStore() === token) live.set(asyncId, type);
    },
    destroy(asyncId) {
      live.delete(asyncId);
    },
  });
  hook.enable();

  const filesBefore = await openFiles();
  const tracker: HandleTracker = {
    async open() {
      const counts = new Map<string, number>();
      for (const type of live.values()) counts.set(type, (counts.get(type) ?? 0) + 1);
      const files = await openFiles();
      for (const [fd, target] of files) {
        if (filesBefore.get(fd) !== target) counts.set(`file ${target}`, (counts.get(`file ${target}`) ?? 0) + 1);
      }
      return counts;
    },
    stop() {
      hook.disable();
    },
  };

  let result: PromiseSettledResult<T>;
  try {
    result = { status: 'fulfilled', value: await scope.run(token, work) };
  } catch (error) {
    result = { status: 'rejected', reason: error };
  }
  return { result, tracker };
}

/** Formats handle counts such as "2 TCPWRAP, 1 Timeout". */
export function formatHandles(counts: Map<string, number>): string {
  return [...counts].map(([type, count]) => `${count} ${type}`).join(', ');
}

/**
 * Waits until `tracker` reports no open handle, checking every 10 ms, for at most
 * `settleMs`. Sockets and timers close a few event-loop turns after `close()` resolves,
 * so a short wait avoids reporting them. Returns what is still open.
 */
export async function waitForHandlesToClose(tracker: HandleTracker, settleMs: number): Promise<Map<string, number>> {
  const deadline = performance.now() + settleMs;
  for (;;) {
    const open = await tracker.open();
    if (open.size === 0 || performance.now() >= deadline) return open;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Collects unhandled rejections while `work` and then `settle` run. The process's other
 * `unhandledRejection` listeners, such as the test runner's, are detached meanwhile, so
 * the check itself reports the rejection instead of failing the whole test file.
 */
export async function captureUnhandledRejections(work: () => Promise<void>, settle: () => Promise<void>): Promise<unknown[]> {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => {
    rejections.push(reason);
  };
  const others = process.listeners('unhandledRejection');
  for (const listener of others) process.off('unhandledRejection', listener);
  process.on('unhandledRejection', onRejection);

  try {
    await work();
    await settle();
    // Node reports a rejection as unhandled once the microtask queue drains; two turns make sure it did.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', onRejection);
    for (const listener of others) process.on('unhandledRejection', listener);
  }
  return rejections;
}

/**
 * Lists the process's open regular files by descriptor, read from `/proc/self/fd`.
 * NOTE: only Linux has `/proc/self/fd`; elsewhere the list is empty, so leaked files go unnoticed.
 * A file that other code in the process opens during a check and keeps open is reported too.
 */
async function openFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let descriptors: string[];
  try {
    descriptors = await readdir('/proc/self/fd');
  } catch {
    return files;
  }
  await Promise.all(
    descriptors.map(async (fd) => {
      const target = await readlink(`/proc/self/fd/${fd}`).catch(() => undefined);
      // Sockets, pipes and anonymous inodes show as "socket:[…]" and the like; the handle hooks cover those.
      if (target !== undefined && target.startsWith('/') && !target.startsWith('/dev/') && !target.startsWith('/proc/')) files.set(fd, target);
    }),
  );
  return files;
}
