import { describe, expect, it } from 'vitest';
import { STREAM_BATCH_BYTES, writeStream, type VectorWriteTarget } from '../src/write-all.js';

/** A file stand-in whose writev accepts at most `limit` bytes per call, like a short write. */
function shortWriter(limit: number) {
  const written: number[] = [];
  const target: VectorWriteTarget = {
    async write() {
      throw new Error('write() is not used for streams');
    },
    async writev(buffers) {
      let accepted = 0;
      for (const buffer of buffers) {
        for (const byte of buffer) {
          if (accepted === limit) return { bytesWritten: accepted };
          written.push(byte);
          accepted++;
        }
      }
      return { bytesWritten: accepted };
    },
  };
  return { target, written };
}

async function* chunks(sizes: number[]) {
  let value = 0;
  for (const size of sizes) {
    yield Uint8Array.from({ length: size }, () => value++ % 256);
  }
}

describe('writeStream', () => {
  it('continues after short vector writes', async () => {
    const { target, written } = shortWriter(7);

    const total = await writeStream(target, chunks([5, 0, 13, 1, 20]));

    expect(total).toBe(39);
    expect(written).toEqual(Array.from({ length: 39 }, (_unused, index) => index % 256));
  });

  it('writes batches of the batch size in order', async () => {
    const { target, written } = shortWriter(Number.POSITIVE_INFINITY);
    const size = STREAM_BATCH_BYTES / 4 + 3;

    const total = await writeStream(target, chunks([size, size, size, size, size, size]));

    expect(total).toBe(6 * size);
    expect(written.length).toBe(6 * size);
    expect(written.every((byte, index) => byte === index % 256)).toBe(true);
  });

  it('fails when the filesystem accepts nothing', async () => {
    const { target } = shortWriter(0);

    await expect(writeStream(target, chunks([10]))).rejects.toMatchObject({ code: 'EIO' });
  });
});
