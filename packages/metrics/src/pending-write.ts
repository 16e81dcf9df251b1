import type { LabelValues } from 'prom-client';

/** A write to one series that waits until its family is read. */
export interface PendingWrite {
  flush(): void;
}

/** A counter or gauge family, as a pending increment writes to it. */
export interface IncrementableFamily {
  inc(labels: LabelValues<string>, value: number): void;
}

/** A gauge family, as a pending value writes to it. */
export interface SettableFamily {
  set(labels: LabelValues<string>, value: number): void;
}

/**
 * Increments of one counter or gauge series, summed here and added to the family when it
 * is read. prom-client 15 hashes and validates the label set on every `inc()` and `set()`,
 * so an event only adds to a number and a read pays for one write per changed series.
 *
 * NOTE: increments still waiting when `registry.resetMetrics()` runs are added after the
 * reset, at the next read.
 */
export class PendingIncrement implements PendingWrite {
  readonly #family: IncrementableFamily;
  readonly #labels: LabelValues<string>;
  /** Whether the family accepts negative increments (a gauge) or not (a counter). */
  readonly #signed: boolean;
  /** Whether this package has written the series, so it has its place in the exposition order. */
  #written = false;
  #delta = 0;
  #dirty = false;

  constructor(family: IncrementableFamily, labels: LabelValues<string>, signed: boolean) {
    this.#family = family;
    this.#labels = labels;
    this.#signed = signed;
  }

  /** Creates the series at zero now, such as for a pipeline that was just added. */
  init(): void {
    this.#family.inc(this.#labels, 0);
    this.#written = true;
  }

  add(value: number): void {
    // The first write goes to the family at once, so the series takes the same place in the
    // exposition as before, and a value prom-client rejects throws here rather than at a scrape.
    if (!this.#written || !Number.isFinite(value) || (value < 0 && !this.#signed)) {
      this.#family.inc(this.#labels, value);
      this.#written = true;
      return;
    }
    this.#delta += value;
    this.#dirty = true;
  }

  flush(): void {
    if (!this.#dirty) return;

    const delta = this.#delta;
    this.#delta = 0;
    this.#dirty = false;
    this.#family.inc(this.#labels, delta);
  }
}

/** The latest value of one gauge series, set on the family when it is read. */
export class PendingValue implements PendingWrite {
  readonly #family: SettableFamily;
  readonly #labels: LabelValues<string>;
  #written = false;
  #value = 0;
  #dirty = false;

  constructor(family: SettableFamily, labels: LabelValues<string>) {
    this.#family = family;
    this.#labels = labels;
  }

  set(value: number): void {
    if (!this.#written) {
      this.#family.set(this.#labels, value);
      this.#written = true;
      return;
    }
    this.#value = value;
    this.#dirty = true;
  }

  flush(): void {
    if (!this.#dirty) return;

    this.#dirty = false;
    this.#family.set(this.#labels, this.#value);
  }
}

/** A metric family as prom-client reads it: `get()` first awaits `collect`, when there is one. */
interface Collectable {
  collect?: (this: unknown) => unknown;
}

/**
 * Makes a family run `flush` before each read, then whatever `collect` it already had.
 * prom-client's types only declare `collect` as a constructor option, but `get()` reads the
 * property on every call, so this also works for a family another copy of this package created.
 */
export function flushBeforeRead(family: object, flush: () => void): void {
  const collectable = family as Collectable;
  const previous = collectable.collect;
  collectable.collect = function collect(this: unknown) {
    flush();
    return previous?.call(this);
  };
}
