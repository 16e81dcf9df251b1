import { DeltavError, jsonPayload, sleep, type PayloadInit, type RunContext, type Source } from '@deltav/core';
import { counterSourceOptionsSchema, type CounterSourceOptions } from './options.js';

/** The state key that contains the last emitted count. */
const COUNT_KEY = 'counter.last';

/**
 * A source that emits `{"count": n}`, one more step on every run. The count lives in the
 * pipeline's state store, so it continues where it stopped when the store persists.
 */
export class CounterSource implements Source {
  readonly #options: Required<CounterSourceOptions>;

  constructor(options: CounterSourceOptions = {}) {
    this.#options = counterSourceOptionsSchema.parse(options);
  }

  async fetch(context: RunContext): Promise<PayloadInit> {
    context.signal.throwIfAborted();
    if (this.#options.delayMs > 0) await sleep(this.#options.delayMs, context.signal);

    const last = await this.#withState(context, () => context.state.get<number>(COUNT_KEY));
    const count = last === undefined ? this.#options.start : last + this.#options.step;
    await this.#withState(context, () => context.state.set(COUNT_KEY, count));
    return jsonPayload({ count }, { count: String(count) });
  }

  /** Nothing stays open between runs, so closing has nothing to release. */
  async close(): Promise<void> {}

  async #withState<T>(context: RunContext, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // A state store backed by a file or a service fails for reasons a later attempt may not meet.
      throw new DeltavError('COUNTER_STATE_UNAVAILABLE', `counter: the state store of pipeline "${context.pipeline}" failed: ${(error as Error).message}`, {
        cause: error,
        retryable: true,
      });
    }
  }
}
