import { DeltavError, type Source } from '@deltav/core';

/** Code of the failure raised when a payload is larger than the pipeline's `maxPayloadSize`. */
export const PAYLOAD_TOO_LARGE = 'DELTAV_PAYLOAD_TOO_LARGE';

/** Wraps a source so that a payload larger than `maxBytes` fails the run before it is written. */
export function limitPayloadSize(source: Source, maxBytes: number, pipeline: string): Source {
  const limited: Source = {
    async fetch(context) {
      const payload = await source.fetch(context);
      if (payload === null || payload === undefined) return payload;

      const size = typeof payload.body === 'string' ? Buffer.byteLength(payload.body) : payload.body.byteLength;
      if (size > maxBytes) {
        throw new DeltavError(
          PAYLOAD_TOO_LARGE,
          `pipeline "${pipeline}": payload of ${size} bytes is larger than maxPayloadSize (${maxBytes} bytes); raise maxPayloadSize or reduce what the source returns`,
        );
      }
      return payload;
    },
  };
  if (source.close !== undefined) limited.close = () => source.close!();
  return limited;
}
