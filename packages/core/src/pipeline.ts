import type { Destination, Source } from './contracts.js';
import { DeltavError, ErrorCodes } from './errors.js';
import { describe } from './payload.js';
import { checkDuration, checkFunction } from './validate.js';

/** A cleanup callback that runs once when the pipeline is stopped. */
export type ShutdownHook = () => Promise<void> | void;

/** Pipeline names: letters, digits, `_`, `-`, `.` and `:`, so they are safe in labels, logs and paths. */
const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/;

let unnamedCount = 0;

/** Settings of a pipeline that can also be set with the chained setters. */
export interface PipelineOptions {
  /**
   * The pipeline name, unique within a scheduler.
   * @default "pipeline_N", numbered in creation order
   */
  name?: string;
  /**
   * Time between scheduled runs, in milliseconds.
   * @default 60000
   */
  intervalMs?: number;
  /**
   * Maximum duration of one run, in milliseconds. The run's signal fires when it passes.
   * @default 60000
   */
  timeoutMs?: number;
  /**
   * Logs a bounded preview of each payload at debug level.
   * @default false
   */
  debugPayload?: boolean;
}

/** A source and a destination joined under a name and a schedule. */
export class Pipeline {
  readonly source: Source;
  readonly destination: Destination;
  #name: string;
  #intervalMs = 60_000;
  #timeoutMs = 60_000;
  #debugPayload = false;
  readonly #shutdownHooks: ShutdownHook[] = [];

  constructor(source: Source, destination: Destination, options: PipelineOptions = {}) {
    if (typeof source !== 'object' || source === null || typeof source.fetch !== 'function') {
      throw new DeltavError(
        ErrorCodes.INVALID_OPTION,
        `Pipeline: invalid source: expected an object with a fetch(context) method, received ${describe(source)}.`,
      );
    }
    if (typeof destination !== 'object' || destination === null || typeof destination.write !== 'function') {
      throw new DeltavError(
        ErrorCodes.INVALID_OPTION,
        `Pipeline: invalid destination: expected an object with a write(payload, context) method, received ${describe(destination)}.`,
      );
    }

    this.source = source;
    this.destination = destination;
    this.#name = `pipeline_${++unnamedCount}`;
    if (options.name !== undefined) this.setName(options.name);
    if (options.intervalMs !== undefined) this.setInterval(options.intervalMs);
    if (options.timeoutMs !== undefined) this.setTimeout(options.timeoutMs);
    if (options.debugPayload !== undefined) this.enableDebugPayload(options.debugPayload);
  }

  get name(): string {
    return this.#name;
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  get debugPayload(): boolean {
    return this.#debugPayload;
  }

  /** The registered shutdown hooks, in registration order. */
  get shutdownHooks(): readonly ShutdownHook[] {
    return this.#shutdownHooks;
  }

  /** Sets the name used in logs, metrics labels and scheduler lookups. */
  setName(name: string): this {
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      throw new DeltavError(
        ErrorCodes.INVALID_OPTION,
        `Pipeline: invalid name ${describe(name)}: use 1 to 128 letters, digits, "_", "-", "." or ":", starting with a letter, digit or "_".`,
      );
    }
    this.#name = name;
    return this;
  }

  /** Sets the time between scheduled runs, in milliseconds. */
  setInterval(intervalMs: number): this {
    this.#intervalMs = checkDuration(`Pipeline "${this.#name}"`, 'interval', intervalMs);
    return this;
  }

  /** Sets the maximum duration of one run, in milliseconds. */
  setTimeout(timeoutMs: number): this {
    this.#timeoutMs = checkDuration(`Pipeline "${this.#name}"`, 'timeout', timeoutMs, { max: 24 * 60 * 60 * 1000 });
    return this;
  }

  /** Turns on or off the debug-level log of a bounded preview of each payload. */
  enableDebugPayload(enabled = true): this {
    if (typeof enabled !== 'boolean') {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `Pipeline "${this.#name}": invalid debugPayload: expected a boolean, received ${describe(enabled)}.`);
    }
    this.#debugPayload = enabled;
    return this;
  }

  /** Registers a callback that runs once when the scheduler stops or removes this pipeline. */
  onShutdown(hook: ShutdownHook): this {
    this.#shutdownHooks.push(checkFunction(`Pipeline "${this.#name}"`, 'onShutdown hook', hook));
    return this;
  }
}
