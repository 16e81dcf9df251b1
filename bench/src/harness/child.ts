import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Messages between a benchmark and its child processes, over the IPC channel of `fork`. */
type ChildMessage =
  | { type: 'ready'; data: unknown }
  | { type: 'result'; data: unknown }
  | { type: 'error'; message: string; stack?: string }
  | { type: 'stop' };

export interface ChildOptions {
  /**
   * Kills the child and rejects when it has not reported its result by then, in milliseconds.
   * @default 120000
   */
  timeoutMs?: number;
  /**
   * Adds `--expose-gc`, so the child can collect garbage before it measures the heap.
   * @default true
   */
  exposeGc?: boolean;
}

/**
 * A contender, server or load generator running in its own Node.js process, so its CPU
 * and memory figures are its own. It runs with the same `process.execPath` and flags as
 * the parent.
 */
export class Child<Result> {
  readonly #process: ChildProcess;
  readonly #script: string;
  readonly #ready: Promise<unknown>;
  readonly #result: Promise<Result>;
  readonly #timer: NodeJS.Timeout;

  constructor(script: URL, input: unknown, options: ChildOptions = {}) {
    this.#script = fileURLToPath(script);
    const execArgv = options.exposeGc === false ? process.execArgv : [...process.execArgv, '--expose-gc'];
    this.#process = fork(this.#script, [JSON.stringify(input)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

    let settleReady!: { resolve: (value: unknown) => void; reject: (error: Error) => void };
    this.#ready = new Promise((resolve, reject) => {
      settleReady = { resolve, reject };
    });
    this.#result = new Promise<Result>((resolve, reject) => {
      const fail = (error: Error): void => {
        settleReady.reject(error);
        reject(error);
      };
      this.#process.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') settleReady.resolve(message.data);
        if (message.type === 'result') resolve(message.data as Result);
        if (message.type === 'error') fail(new Error(`${this.#name()} failed: ${message.stack ?? message.message}`));
      });
      this.#process.on('error', fail);
      this.#process.on('exit', (code, signal) => {
        clearTimeout(this.#timer);
        fail(new Error(`${this.#name()} exited (code ${code}, signal ${signal}) before it reported a result.`));
      });
    });
    // A caller may never wait for `ready`, and its rejection also rejects the result, so it is not unhandled.
    this.#ready.catch(() => {});

    const timeoutMs = options.timeoutMs ?? 120_000;
    this.#timer = setTimeout(() => {
      this.#process.kill('SIGKILL');
    }, timeoutMs);
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  /** Resolves with what the child passed to `reportReady`. */
  ready<T>(): Promise<T> {
    return this.#ready as Promise<T>;
  }

  /** Asks the child to finish; it then reports its result. */
  stop(): void {
    if (this.#process.connected) this.#process.send({ type: 'stop' } satisfies ChildMessage);
  }

  /** Resolves with the child's result once it has exited. */
  async result(): Promise<Result> {
    const result = await this.#result;
    if (this.#process.exitCode === null && this.#process.signalCode === null) {
      await new Promise((resolve) => this.#process.once('exit', resolve));
    }
    clearTimeout(this.#timer);
    return result;
  }

  kill(): void {
    clearTimeout(this.#timer);
    this.#process.kill('SIGKILL');
  }

  #name(): string {
    return `Benchmark child ${this.#script}`;
  }
}

/** Runs a child to completion and returns its result. */
export function runChild<Result>(script: URL, input: unknown, options: ChildOptions = {}): Promise<Result> {
  return new Child<Result>(script, input, options).result();
}

/** Reads the input that the parent passed to this child. */
export function childInput<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('Benchmark child started without input: run it through the bench command, not directly.');
  return JSON.parse(raw) as T;
}

/** Tells the parent that the child is ready, with data such as a server URL. */
export function reportReady(data: unknown): void {
  process.send?.({ type: 'ready', data } satisfies ChildMessage);
}

/** Resolves when the parent sends this child a stop request. */
export function stopRequested(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.type !== 'stop') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
  });
}

/**
 * Runs the body of a child process: reads the input, runs `main`, sends the result or the
 * error to the parent, and disconnects so the process can exit.
 */
export function runAsChild<Input, Result>(main: (input: Input) => Promise<Result>): void {
  const send = (message: ChildMessage): Promise<void> =>
    new Promise((resolve) => {
      if (process.send === undefined) {
        process.stdout.write(`${JSON.stringify(message)}\n`);
        resolve();
        return;
      }
      process.send(message, () => resolve());
    });

  main(childInput<Input>())
    .then((data) => send({ type: 'result', data }))
    .catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      process.exitCode = 1;
      return send({ type: 'error', message: failure.message, ...(failure.stack === undefined ? {} : { stack: failure.stack }) });
    })
    .finally(() => {
      process.disconnect?.();
    });
}
