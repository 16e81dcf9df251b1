import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DeltavError, ErrorCodes } from './errors.js';
import type { StateStore, StateStoreFactory } from './state.js';

/**
 * A state store kept in one JSON file per pipeline, `<folder>/<pipeline>.state.json`, so
 * checkpoints such as ETags survive a restart. Each change rewrites the file atomically
 * (temp file, fsync, rename), and changes of one pipeline are written in order.
 */
export class FileStateStore implements StateStore {
  readonly #file: string;
  #values: Promise<Map<string, unknown>> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const values = await this.#load();
    return structuredClone(values.get(key)) as T | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) {
      throw new DeltavError(ErrorCodes.INVALID_OPTION, `State value for "${key}" cannot be stored as JSON. Store strings, numbers, booleans, arrays or plain objects.`);
    }
    const values = await this.#load();
    values.set(key, JSON.parse(text));
    await this.#persist(values);
  }

  async delete(key: string): Promise<void> {
    const values = await this.#load();
    if (!values.delete(key)) return;
    await this.#persist(values);
  }

  #load(): Promise<Map<string, unknown>> {
    this.#values ??= readFile(this.#file, 'utf8').then(
      (text) => new Map(Object.entries(JSON.parse(text) as Record<string, unknown>)),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return new Map<string, unknown>();
        throw new DeltavError(ErrorCodes.STATE_IO, `Failed to read state file ${this.#file}: ${error.message}. Check its permissions, or delete it to start fresh.`, { cause: error });
      },
    );
    return this.#values;
  }

  #persist(values: Map<string, unknown>): Promise<void> {
    const snapshot = JSON.stringify(Object.fromEntries(values));
    const write = this.#writing.then(() => writeAtomically(this.#file, snapshot));
    // A failed write is reported to its caller; the next write still runs.
    this.#writing = write.catch(() => {});
    return write;
  }
}

/** Returns a provider that keeps each pipeline's state in a JSON file under `folder`. */
export function fileStateStores(folder: string): StateStoreFactory {
  const stores = new Map<string, FileStateStore>();
  return (pipeline) => {
    let store = stores.get(pipeline);
    if (store === undefined) {
      store = new FileStateStore(join(folder, `${pipeline}.state.json`));
      stores.set(pipeline, store);
    }
    return store;
  };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(join(file, '..'), { recursive: true });
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw new DeltavError(ErrorCodes.STATE_IO, `Failed to write state file ${file}: ${(error as Error).message}. Check that the data folder is writable.`, { cause: error });
  }
}
