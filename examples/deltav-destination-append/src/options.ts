import { z } from 'zod';

/** Options of `AppendFileDestination`. */
export interface AppendFileDestinationOptions {
  /** The file to append to; a relative path is resolved against the current working folder. Missing folders are created. */
  path: string;
  /**
   * The text written after each payload. The default makes one line per payload, such as NDJSON.
   * @default "\n"
   */
  separator?: string;
  /**
   * Permission bits of the file when it is created.
   * @default 0o644
   */
  fileMode?: number;
}

export const appendFileDestinationOptionsSchema = z.strictObject({
  path: z.string().min(1, { message: 'expected a non-empty file path' }),
  separator: z.string().default('\n'),
  fileMode: z.number().int().min(0).max(0o777).default(0o644),
});
