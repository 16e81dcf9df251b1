import { DeltavError } from '@deltav/core';
import { readFile } from 'node:fs/promises';
import { HttpErrorCodes } from './errors.js';
import type { HttpAuthOptions } from './options.js';

/** A secret kept in a file, read again once its cached copy is older than `cacheMs`. */
class SecretFile {
  readonly #option: string;
  readonly #path: string;
  readonly #cacheMs: number;
  #value: string | undefined;
  #readAt = 0;

  constructor(option: string, path: string, cacheMs: number) {
    this.#option = option;
    this.#path = path;
    this.#cacheMs = cacheMs;
  }

  async read(): Promise<string> {
    if (this.#value !== undefined && this.#cacheMs > 0 && Date.now() - this.#readAt < this.#cacheMs) return this.#value;

    let text: string;
    try {
      text = (await readFile(this.#path, 'utf8')).trim();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new DeltavError(HttpErrorCodes.CREDENTIALS, `Cannot read auth.${this.#option} "${this.#path}" (${reason}). Check the path and its permissions.`, {
        cause: error,
      });
    }
    if (text === '') {
      throw new DeltavError(HttpErrorCodes.CREDENTIALS, `auth.${this.#option} "${this.#path}" is empty. Write the secret into it.`);
    }

    this.#value = text;
    this.#readAt = Date.now();
    return text;
  }
}

/** Produces the `authorization` header value from the auth options, reading secret files as configured. */
export class Credentials {
  readonly #auth: HttpAuthOptions | undefined;
  readonly #file: SecretFile | undefined;

  constructor(auth: HttpAuthOptions | undefined) {
    this.#auth = auth;
    if (auth?.kind === 'basic' && auth.passwordFile !== undefined) {
      this.#file = new SecretFile('passwordFile', auth.passwordFile, auth.fileCacheMs ?? 0);
    } else if (auth?.kind === 'bearer' && auth.tokenFile !== undefined) {
      this.#file = new SecretFile('tokenFile', auth.tokenFile, auth.fileCacheMs ?? 0);
    }
  }

  /** Returns the `authorization` header value, or `undefined` without auth. */
  async header(): Promise<string | undefined> {
    const auth = this.#auth;
    if (auth === undefined) return undefined;

    if (auth.kind === 'basic') {
      const password = this.#file === undefined ? (auth.password ?? '') : await this.#file.read();
      return `Basic ${Buffer.from(`${auth.username}:${password}`, 'utf8').toString('base64')}`;
    }

    const token = this.#file === undefined ? auth.token! : await this.#file.read();
    return `Bearer ${token}`;
  }
}
