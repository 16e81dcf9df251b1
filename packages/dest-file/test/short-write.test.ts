import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, writeAll, type WriteTarget } from '../src/write-all.js';

/** Builds a write target that accepts at most `limit` bytes per call, like a kernel cutting writes short. */
function shortTarget(limit: number): WriteTarget & { received: number[]; calls: number } {
  const target = {
    received: [] as number[],
    calls: 0,
    async write(buffer: Uint8Array, offset: number, length: number) {
      target.calls++;
      const accepted = Math.min(length, limit);
      target.received.push(...buffer.subarray(offset, offset + accepted));
      return { bytesWritten: accepted };
    },
  };
  return target;
}

describe('short writes', () => {
  it('continues after a short write', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 256);
    const target = shortTarget(7);

    await writeAll(target, bytes);

    expect(target.received).toEqual([...bytes]);
    expect(target.calls).toBe(143);
  });

  it('writes large buffers in chunks', async () => {
    const bytes = new Uint8Array(2 * CHUNK_BYTES + 3);
    const lengths: number[] = [];

    await writeAll(
      {
        async write(_buffer, _offset, length) {
          lengths.push(length);
          return { bytesWritten: length };
        },
      },
      bytes,
    );

    expect(lengths).toEqual([CHUNK_BYTES, CHUNK_BYTES, 3]);
  });

  it('fails when no byte is accepted', async () => {
    await expect(writeAll(shortTarget(0), new Uint8Array(10))).rejects.toMatchObject({
      code: 'EIO',
      message: 'the filesystem accepted 0 of 10 remaining bytes',
    });
  });

  it('passes a write error through', async () => {
    const failing: WriteTarget = {
      async write() {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };

    await expect(writeAll(failing, new Uint8Array(10))).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});
