import { z } from 'zod';

/** Options of `CounterSource`. */
export interface CounterSourceOptions {
  /**
   * The first count a pipeline emits.
   * @default 1
   */
  start?: number;
  /**
   * The amount each run adds to the count.
   * @default 1
   */
  step?: number;
  /**
   * Simulated latency of each fetch, in milliseconds; the run's signal cuts it short.
   * @default 0
   */
  delayMs?: number;
}

export const counterSourceOptionsSchema = z.strictObject({
  start: z.number().int().default(1),
  step: z.number().int().default(1),
  delayMs: z.number().int().min(0).max(60_000).default(0),
});
