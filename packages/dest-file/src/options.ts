import { DeltavError } from '@deltav/core';
import { resolve } from 'node:path';
import { z } from 'zod';
import { FileErrorCodes } from './errors.js';

/** Options of `FileDestination`. */
export interface FileDestinationOptions {
  /** The target file; a relative path is resolved against the current working folder. */
  path: string;
  /**
   * Permission bits of written files.
   * @default 0o644
   */
  fileMode?: number;
  /**
   * Permission bits of folders that are created.
   * @default 0o755
   */
  dirMode?: number;
}

/** The options schema, shared by the constructor and the runner's config validation. */
export const fileDestinationOptionsSchema = z.strictObject({
  path: z.string().min(1, { message: 'expected a non-empty file path' }),
  fileMode: z.number().int().min(0).max(0o7777).optional(),
  dirMode: z.number().int().min(0).max(0o7777).optional(),
});

export interface ResolvedFileOptions {
  path: string;
  fileMode: number;
  dirMode: number;
}

/** Validates options and fills defaults; throws a coded error naming the first bad option. */
export function resolveOptions(options: FileDestinationOptions | string): ResolvedFileOptions {
  const input = typeof options === 'string' ? { path: options } : options;
  const result = fileDestinationOptionsSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.') || 'options';
    throw new DeltavError(FileErrorCodes.INVALID_OPTION, `FileDestination: invalid ${key}: ${issue.message}.`);
  }
  return {
    path: resolve(result.data.path),
    fileMode: result.data.fileMode ?? 0o644,
    dirMode: result.data.dirMode ?? 0o755,
  };
}
