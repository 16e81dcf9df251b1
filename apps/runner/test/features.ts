import { fileDestinationOptionsSchema } from '@deltav/dest-file';

/** Whether the installed file destination accepts `mode: append` with `rotation`. */
export function destinationSupportsAppend(): boolean {
  return fileDestinationOptionsSchema.safeParse({ path: 'x', mode: 'append', rotation: { maxBytes: 1024 } }).success;
}
