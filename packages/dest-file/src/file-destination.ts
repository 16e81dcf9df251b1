import type { Destination, Payload, RunContext } from '@deltav/core';
import { removeStaleTempFiles, replaceFile } from './atomic-write.js';
import { resolveOptions, type FileDestinationOptions, type ResolvedFileOptions } from './options.js';

/** A destination that atomically replaces one file with each payload. */
export class FileDestination implements Destination {
  readonly #options: ResolvedFileOptions;
  #cleaned: Promise<void> | undefined;

  constructor(options: FileDestinationOptions | string) {
    this.#options = resolveOptions(options);
  }

  /** The absolute path of the target file. */
  get path(): string {
    return this.#options.path;
  }

  async write(payload: Payload, context: RunContext): Promise<void> {
    this.#cleaned ??= removeStaleTempFiles(this.#options.path);
    await this.#cleaned;
    context.signal.throwIfAborted();
    await replaceFile(this.#options.path, await payload.bytes(), this.#options, context.signal);
  }

  /** Nothing stays open between writes, so closing has nothing to release. */
  async close(): Promise<void> {}
}
