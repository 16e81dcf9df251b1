import { DeltavError } from '@deltav/core';

/** Stable codes of the errors that `FileDestination` raises. */
export const FileErrorCodes = {
  INVALID_OPTION: 'DELTAV_FILE_INVALID_OPTION',
  OUTSIDE_BASE: 'DELTAV_FILE_OUTSIDE_BASE',
  NAME_TAKEN: 'DELTAV_FILE_NAME_TAKEN',
  CLOSED: 'DELTAV_FILE_CLOSED',
  NO_SPACE: 'DELTAV_FILE_NO_SPACE',
  PERMISSION: 'DELTAV_FILE_PERMISSION',
  READ_ONLY: 'DELTAV_FILE_READ_ONLY',
  IS_DIRECTORY: 'DELTAV_FILE_IS_DIRECTORY',
  NOT_DIRECTORY: 'DELTAV_FILE_NOT_DIRECTORY',
  TOO_MANY_FILES: 'DELTAV_FILE_TOO_MANY_OPEN',
  IO: 'DELTAV_FILE_IO',
} as const;

interface Classification {
  code: string;
  hint: string;
  retryable: boolean;
}

const BY_ERRNO: Record<string, Classification> = {
  ENOSPC: { code: FileErrorCodes.NO_SPACE, hint: 'free space on that filesystem or point the destination elsewhere', retryable: false },
  EDQUOT: { code: FileErrorCodes.NO_SPACE, hint: 'the disk quota is used up; free space or raise the quota', retryable: false },
  EFBIG: { code: FileErrorCodes.NO_SPACE, hint: 'the file exceeds the size limit of the filesystem or process (ulimit -f); raise the limit or enable rotation', retryable: false },
  EACCES: { code: FileErrorCodes.PERMISSION, hint: 'grant the process write access to the file and its folder', retryable: false },
  EPERM: { code: FileErrorCodes.PERMISSION, hint: 'grant the process write access to the file and its folder', retryable: false },
  EROFS: { code: FileErrorCodes.READ_ONLY, hint: 'the filesystem is mounted read-only; choose a writable path', retryable: false },
  EISDIR: { code: FileErrorCodes.IS_DIRECTORY, hint: 'the path names a folder; give a file path instead', retryable: false },
  ENOTDIR: { code: FileErrorCodes.NOT_DIRECTORY, hint: 'a part of the path is a file, not a folder; fix the path', retryable: false },
  EMFILE: { code: FileErrorCodes.TOO_MANY_FILES, hint: 'the process has too many open files; raise the limit (ulimit -n) or lower concurrency', retryable: true },
  ENFILE: { code: FileErrorCodes.TOO_MANY_FILES, hint: 'the system has too many open files; raise the system limit', retryable: true },
};

/**
 * Wraps a filesystem error in a coded `DeltavError` that names the path and the likely fix.
 * Disk-full, permission and path errors are final; anything else, such as EMFILE or EIO,
 * is marked retryable so the scheduler may try the write again.
 */
export function classifyFileError(error: unknown, path: string, action: string): DeltavError {
  if (error instanceof DeltavError) return error;

  const errno = (error as { code?: unknown } | null)?.code;
  const known = typeof errno === 'string' ? BY_ERRNO[errno] : undefined;
  const reason = error instanceof Error ? error.message : String(error);
  if (known !== undefined) {
    return new DeltavError(known.code, `Failed to ${action} ${path}: ${reason}. Fix: ${known.hint}.`, { cause: error, retryable: known.retryable });
  }
  return new DeltavError(FileErrorCodes.IO, `Failed to ${action} ${path}: ${reason}.`, { cause: error, retryable: true });
}
