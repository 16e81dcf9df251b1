import { describe, expect, it } from 'vitest';
import { classifyFileError } from '../src/errors.js';
import { FileErrorCodes } from '../src/index.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: failed, open '/data/x'`), { code });

describe('error classification', () => {
  it.each([
    ['ENOSPC', FileErrorCodes.NO_SPACE, false, 'free space'],
    ['EDQUOT', FileErrorCodes.NO_SPACE, false, 'quota'],
    ['EFBIG', FileErrorCodes.NO_SPACE, false, 'ulimit -f'],
    ['EACCES', FileErrorCodes.PERMISSION, false, 'grant the process write access'],
    ['EPERM', FileErrorCodes.PERMISSION, false, 'grant the process write access'],
    ['EROFS', FileErrorCodes.READ_ONLY, false, 'read-only'],
    ['EISDIR', FileErrorCodes.IS_DIRECTORY, false, 'give a file path'],
    ['ENOTDIR', FileErrorCodes.NOT_DIRECTORY, false, 'is a file, not a folder'],
    ['EMFILE', FileErrorCodes.TOO_MANY_FILES, true, 'ulimit -n'],
    ['ENFILE', FileErrorCodes.TOO_MANY_FILES, true, 'system limit'],
    ['EIO', FileErrorCodes.IO, true, 'Failed to write /data/x'],
    ['EAGAIN', FileErrorCodes.IO, true, 'Failed to write /data/x'],
  ])('maps %s', (code, expected, retryable, hint) => {
    const cause = errno(code);

    const error = classifyFileError(cause, '/data/x', 'write');

    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('Failed to write /data/x');
    expect(error.message).toContain(hint);
  });

  it('keeps a coded error as it is', () => {
    const first = classifyFileError(errno('ENOSPC'), '/data/x', 'write');

    expect(classifyFileError(first, '/data/y', 'append to')).toBe(first);
  });

  it('wraps a non-error value', () => {
    const error = classifyFileError('boom', '/data/x', 'write');

    expect(error).toMatchObject({ code: FileErrorCodes.IO, retryable: true, message: 'Failed to write /data/x: boom.' });
  });
});
