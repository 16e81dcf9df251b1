/** Returns every byte value once, then UTF-8 text with multi-byte characters, CRLF and NUL. */
export function sampleBytes(): Uint8Array {
  const all = Uint8Array.from({ length: 256 }, (_, index) => index);
  const text = new TextEncoder().encode('deltav ✓ Größe 測試 🚀\r\n\0end');
  const bytes = new Uint8Array(all.byteLength + text.byteLength);
  bytes.set(all);
  bytes.set(text, all.byteLength);
  return bytes;
}

/**
 * `size` bytes of a repeatable pseudo-random pattern, so a shifted, truncated or
 * repeated chunk shows up as a difference. A 32-bit xorshift generator is plenty here.
 */
export function patternBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = 0x9e3779b9;
  for (let index = 0; index < size; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** Describes where two byte arrays first differ, or returns `undefined` when they are equal. */
export function firstDifference(expected: Uint8Array, actual: Uint8Array): string | undefined {
  const shorter = Math.min(expected.byteLength, actual.byteLength);
  for (let index = 0; index < shorter; index++) {
    if (expected[index] !== actual[index]) {
      return `first difference at byte ${index}: expected 0x${hex(expected[index]!)}, found 0x${hex(actual[index]!)}`;
    }
  }
  if (expected.byteLength === actual.byteLength) return undefined;
  return expected.byteLength > actual.byteLength ? `the read-back ends at byte ${shorter}` : `the read-back has ${actual.byteLength - shorter} extra bytes from byte ${shorter}`;
}

function hex(value: number): string {
  return value.toString(16).padStart(2, '0');
}
