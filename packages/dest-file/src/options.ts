import { DeltavError } from '@deltav/core';
import { resolve } from 'node:path';
import { z } from 'zod';
import { FileErrorCodes } from './errors.js';
import { isKnownTimeZone } from './time-fields.js';

/** The write mode: atomic replace, append as a record, or a new file per write. */
export type FileWriteMode = 'overwrite' | 'append' | 'unique';

/** When written data is flushed from the OS page cache to the disk. */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** Rotation of the file in `append` mode. At least one of `maxBytes` and `intervalMs` is required. */
export interface RotationOptions {
  /**
   * Rotate before a record that would make the file larger than this many bytes. A record
   * larger than the limit is written alone into a fresh file.
   */
  maxBytes?: number;
  /**
   * Rotate before the first record of a new period of this many milliseconds, counted
   * from the Unix epoch (so 86 400 000 rotates at midnight UTC). Minimum 1000.
   */
  intervalMs?: number;
  /**
   * How many rotated files to keep; older ones are deleted after each rotation. 0 deletes
   * rotated files right away.
   * @default unlimited
   */
  keep?: number;
  /**
   * Compress rotated files with gzip into `<file>.<n>.gz`.
   * @default false
   */
  gzip?: boolean;
}

/** Options of `FileDestination`. */
export interface FileDestinationOptions {
  /**
   * The target file, as a path template: `{pipeline}`, `{runId}` and strftime-style time
   * fields (`%Y %m %d %H %M %S %L %j %F %y %z %s`, `%%` for a percent sign) are filled in
   * per write from the run's scheduled time. A relative path resolves against `baseDir`
   * when set, else against the current working folder. Missing folders are created.
   */
  path: string;
  /**
   * `overwrite` replaces the file atomically with each payload; `append` adds each payload
   * as one record; `unique` writes each payload to a new file.
   * @default 'overwrite'
   */
  mode?: FileWriteMode;
  /**
   * A folder that every resolved path must stay inside. Paths that climb out with `../`
   * or name an absolute location elsewhere are rejected.
   * @default no restriction
   */
  baseDir?: string;
  /**
   * The IANA time zone of the time fields in `path`, such as `Europe/Berlin`.
   * @default 'UTC'
   */
  timeZone?: string;
  /**
   * The bytes written after each record in `append` mode, as a UTF-8 string.
   * @default '\n'
   */
  delimiter?: string;
  /** Rotation in `append` mode; off when absent. */
  rotation?: RotationOptions;
  /**
   * `always` flushes every write to disk before it succeeds; `interval` flushes every
   * `fsyncIntervalMs` and on close; `never` leaves flushing to the OS.
   * @default 'always'
   */
  fsync?: FsyncPolicy;
  /**
   * The flush period of the `interval` policy, in milliseconds.
   * @default 1000
   */
  fsyncIntervalMs?: number;
  /**
   * Permission bits of created files, applied exactly (the umask does not narrow them).
   * A number, or an octal string such as `'0640'`.
   * @default 0o644
   */
  fileMode?: number | string;
  /**
   * Permission bits of created folders, applied exactly. A number or an octal string.
   * @default 0o755
   */
  dirMode?: number | string;
}

const PERMISSION_BITS = 'expected permission bits from 0 to 0o7777, as a number or an octal string such as "0644"';

const permissionBits = z.union(
  [
    z.number({ error: PERMISSION_BITS }).int({ error: PERMISSION_BITS }).min(0, { error: PERMISSION_BITS }).max(0o7777, { error: PERMISSION_BITS }),
    z
      .string()
      .regex(/^(0o|0)?[0-7]{3,4}$/, { error: PERMISSION_BITS })
      .transform((text) => Number.parseInt(text.replace(/^0o/, ''), 8)),
  ],
  { error: PERMISSION_BITS },
);

const rotationSchema = z
  .strictObject({
    maxBytes: z.number().int().min(1).optional(),
    intervalMs: z.number().int().min(1000, { message: 'expected at least 1000 milliseconds' }).optional(),
    keep: z.number().int().min(0).optional(),
    gzip: z.boolean().optional(),
  })
  .refine((rotation) => rotation.maxBytes !== undefined || rotation.intervalMs !== undefined, {
    message: 'expected maxBytes, intervalMs or both',
  });

/** The options schema, shared by the constructor and the runner's config validation. */
export const fileDestinationOptionsSchema = z
  .strictObject({
    path: z.string().min(1, { message: 'expected a non-empty file path' }),
    mode: z.enum(['overwrite', 'append', 'unique']).optional(),
    baseDir: z.string().min(1, { message: 'expected a non-empty folder path' }).optional(),
    timeZone: z
      .string()
      .refine(isKnownTimeZone, { message: 'expected an IANA time zone name such as "UTC" or "Europe/Berlin"' })
      .optional(),
    delimiter: z.string().optional(),
    rotation: rotationSchema.optional(),
    fsync: z.enum(['always', 'interval', 'never']).optional(),
    fsyncIntervalMs: z.number().int().min(10, { message: 'expected at least 10 milliseconds' }).optional(),
    fileMode: permissionBits.optional(),
    dirMode: permissionBits.optional(),
  })
  .superRefine((options, context) => {
    const mode = options.mode ?? 'overwrite';
    if (mode === 'append') return;
    for (const key of ['rotation', 'delimiter'] as const) {
      if (options[key] !== undefined) {
        context.addIssue({ code: 'custom', path: [key], message: `applies to mode "append" only, but mode is "${mode}"; remove it or set mode: append` });
      }
    }
  });

export interface ResolvedRotation {
  maxBytes: number | undefined;
  intervalMs: number | undefined;
  keep: number | undefined;
  gzip: boolean;
}

export interface ResolvedFileOptions {
  /** The path template, absolute. */
  path: string;
  mode: FileWriteMode;
  baseDir: string | undefined;
  timeZone: string;
  delimiter: Uint8Array;
  rotation: ResolvedRotation | undefined;
  fsync: FsyncPolicy;
  fsyncIntervalMs: number;
  fileMode: number;
  dirMode: number;
}

/** Validates options and fills defaults; throws a coded error naming every bad option. */
export function resolveOptions(options: FileDestinationOptions | string): ResolvedFileOptions {
  const input = typeof options === 'string' ? { path: options } : options;
  const result = fileDestinationOptionsSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`);
    throw new DeltavError(FileErrorCodes.INVALID_OPTION, `FileDestination: invalid options: ${problems.join('; ')}.`);
  }

  const data = result.data;
  const baseDir = data.baseDir === undefined ? undefined : resolve(data.baseDir);
  const rotation = data.rotation;
  return {
    path: baseDir === undefined ? resolve(data.path) : resolve(baseDir, data.path),
    mode: data.mode ?? 'overwrite',
    baseDir,
    timeZone: data.timeZone ?? 'UTC',
    delimiter: new TextEncoder().encode(data.delimiter ?? '\n'),
    rotation:
      rotation === undefined
        ? undefined
        : { maxBytes: rotation.maxBytes, intervalMs: rotation.intervalMs, keep: rotation.keep, gzip: rotation.gzip ?? false },
    fsync: data.fsync ?? 'always',
    fsyncIntervalMs: data.fsyncIntervalMs ?? 1000,
    fileMode: data.fileMode ?? 0o644,
    dirMode: data.dirMode ?? 0o755,
  };
}
