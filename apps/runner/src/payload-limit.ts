import { DeltavError, type PayloadBody, type Source } from '@deltav/core';

/** Code of the failure raised when a payload is larger than the pipeline's `maxPayloadSize`. */
export const PAYLOAD_TOO_LARGE = 'DELTAV_PAYLOAD_TOO_LARGE';

/**
 * Wraps a source so that a payload larger than `maxBytes` fails the run. A buffered body is
 * checked before it is written; a streamed body fails as soon as the bytes passed on
 * exceed the limit, so the destination's write fails and the target is left as it was.
 */
export function limitPayloadSize(source: Source, maxBytes: number, pipeline: string): Source {
  const tooLarge = (size: string) =>
    new DeltavError(
      PAYLOAD_TOO_LARGE,
      `pipeline "${pipeline}": payload of ${size} bytes is larger than maxPayloadSize (${maxBytes} bytes); raise maxPayloadSize or reduce what the source returns`,
    );

  const limited: Source = {
    async fetch(context) {
      const payload = await source.fetch(context);
      if (payload === null || payload === undefined) return payload;

      const { body } = payload;
      if (typeof body === 'string' || body instanceof Uint8Array) {
        const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
        if (size > maxBytes) throw tooLarge(String(size));
        return payload;
      }
      return { ...payload, body: limitStream(body, maxBytes, tooLarge) };
    },
  };
  if (source.close !== undefined) limited.close = () => source.close!();
  return limited;
}

async function* limitStream(body: Exclude<PayloadBody, string | Uint8Array>, maxBytes: number, tooLarge: (size: string) => Error): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(`more than ${maxBytes}`);
    yield chunk;
  }
}
