/**
 * The signal of one fetch: the run's signal, combined with the `timeoutMs` deadline when
 * one is set. `expired` separates a deadline from an abort of the run.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  #expired = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(runSignal: AbortSignal, timeoutMs: number) {
    this.timeoutMs = timeoutMs;
    if (timeoutMs === 0) {
      this.signal = runSignal;
      return;
    }

    const controller = new AbortController();
    this.#timer = setTimeout(() => {
      this.#expired = true;
      controller.abort(new DOMException(`The fetch exceeded timeoutMs (${timeoutMs} ms).`, 'TimeoutError'));
    }, timeoutMs);
    this.signal = AbortSignal.any([runSignal, controller.signal]);
  }

  get expired(): boolean {
    return this.#expired;
  }

  /** Stops the timer; call it when the fetch ends, however it ends. */
  clear(): void {
    clearTimeout(this.#timer);
  }
}
