/**
 * The largest slice handed to one write call. Slices are views of the payload, not copies.
 * They bound how long one write occupies a libuv worker and let an abort stop a large write.
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

/** The part of `FileHandle` that `writeStream` uses. */
export interface VectorWriteTarget extends WriteTarget {
  writev(buffers: Uint8Array[], position?: number | null): Promise<{ bytesWritten: number }>;
}

/** How many bytes of a stream are gathered into one `writev` call. */
export const STREAM_BATCH_BYTES = 1024 * 1024;

/**
 * Writes a stream of chunks at the current file position and returns the byte count. The
 * next chunks are read while the previous batch is being written, so the network and the
 * disk work at the same time. At most two batches are held in memory.
 */
export async function writeStream(target: VectorWriteTarget, body: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<number> {
  let total = 0;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let writing: Promise<void> | undefined;
  try {
    for await (const chunk of body) {
      if (chunk.byteLength === 0) continue;
      batch.push(chunk);
      batchBytes += chunk.byteLength;
      total += chunk.byteLength;
      if (batchBytes < STREAM_BATCH_BYTES) continue;

      await writing;
      writing = writeBatch(target, batch, signal);
      batch = [];
      batchBytes = 0;
    }
    await writing;
    writing = undefined;
    if (batch.length > 0) await writeBatch(target, batch, signal);
    return total;
  } finally {
    // A failed read must not leave a write running on a handle the caller is about to close.
    await writing?.catch(() => {});
  }
}

/** Writes every byte of the chunks with `writev`, continuing after a short write. */
async function writeBatch(target: VectorWriteTarget, chunks: Uint8Array[], signal?: AbortSignal): Promise<void> {
  let rest = chunks;
  while (rest.length > 0) {
    signal?.throwIfAborted();
    const { bytesWritten } = await target.writev(rest, null);
    if (bytesWritten <= 0) {
      throw Object.assign(new Error('the filesystem accepted 0 bytes of a write'), { code: 'EIO' });
    }
    rest = dropWritten(rest, bytesWritten);
  }
}

/** Returns the chunks that remain after the first `written` bytes, as views without copies. */
function dropWritten(chunks: Uint8Array[], written: number): Uint8Array[] {
  let skip = written;
  let index = 0;
  while (index < chunks.length && skip >= chunks[index]!.byteLength) {
    skip -= chunks[index]!.byteLength;
    index++;
  }
  const rest = chunks.slice(index);
  if (skip > 0 && rest.length > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}
