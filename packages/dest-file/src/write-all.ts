/**
 * The largest slice handed to one write call. Slices are views of the payload, not copies;
 * they bound how long one write occupies a libuv worker and let an abort stop a large write.
 */
export const CHUNK_BYTES = 1024 * 1024;

/** The part of `FileHandle` that `writeAll` uses. */
export interface WriteTarget {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
}

/**
 * Writes every byte of `bytes` at the current file position, in slices of at most
 * `CHUNK_BYTES`. A short write is followed by another write of the rest, and a write that
 * makes no progress fails, so this resolves only when the whole buffer is written.
 */
export async function writeAll(target: WriteTarget, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    signal?.throwIfAborted();

    const length = Math.min(CHUNK_BYTES, bytes.byteLength - offset);
    const { bytesWritten } = await target.write(bytes, offset, length, null);
    if (bytesWritten <= 0) {
      throw Object.assign(new Error(`the filesystem accepted 0 of ${bytes.byteLength - offset} remaining bytes`), { code: 'EIO' });
    }
    offset += bytesWritten;
  }
}
