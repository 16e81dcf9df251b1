/**
 * The cancellation state of one run: its deadline and a forced shutdown both end up here.
 * The `AbortSignal` that plugins see is created only when a plugin reads it, and races
 * against the run use plain callbacks, because an `AbortSignal` per run (or
 * `AbortSignal.any`) dominated the cost of a no-op run in profiles.
 */
export class RunControl {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #listeners: Array<(reason: unknown) => void> | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** The run's signal; it fires when the run is aborted, or is already aborted. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts the run with `reason`; later calls do nothing. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener(reason);
  }

  /**
   * Settles with `work`, or rejects with the abort reason as soon as the run is aborted, so
   * a plugin that ignores its signal cannot hold the run. A late rejection of `work` is
   * swallowed, so it never becomes an unhandled rejection.
   */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.#aborted) {
      work.catch(() => {});
      return Promise.reject(this.#reason);
    }
    return new Promise<T>((resolve, reject) => {
      const listener = (reason: unknown) => {
        work.catch(() => {});
        reject(reason);
      };
      (this.#listeners ??= []).push(listener);
      work.then(
        (value) => {
          this.#remove(listener);
          resolve(value);
        },
        (error: unknown) => {
          this.#remove(listener);
          reject(error);
        },
      );
    });
  }

  /** Waits `ms` milliseconds, or rejects with the abort reason as soon as the run is aborted. */
  delay(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return this.race(waited).finally(() => clearTimeout(timer));
  }

  #remove(listener: (reason: unknown) => void): void {
    const listeners = this.#listeners;
    if (listeners === undefined) return;
    const index = listeners.indexOf(listener);
    if (index !== -1) listeners.splice(index, 1);
  }
}
