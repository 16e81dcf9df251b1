/**
 * A small per-pipeline key-value store for checkpoints that must outlive a run, such as
 * an ETag. Values must survive `JSON.stringify`, so a file-backed store can keep them.
 */
export interface StateStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Creates the state store of one pipeline from a scheduler-wide provider. */
export type StateStoreFactory = (pipeline: string) => StateStore;

/** A state store kept in process memory; lost when the process exits. */
export class MemoryStateStore implements StateStore {
  readonly #values = new Map<string, string>();

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const stored = this.#values.get(key);
    return stored === undefined ? undefined : (JSON.parse(stored) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    // Stored as JSON so callers see the same copy semantics as a file-backed store.
    this.#values.set(key, JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }
}

/** Returns a provider that gives each pipeline its own in-memory store. */
export function memoryStateStores(): StateStoreFactory {
  const stores = new Map<string, MemoryStateStore>();
  return (pipeline) => {
    let store = stores.get(pipeline);
    if (store === undefined) {
      store = new MemoryStateStore();
      stores.set(pipeline, store);
    }
    return store;
  };
}
