import { DeltavError, ErrorCodes } from '@deltav/core';

/** Builds the coded error for an invalid option; the message names the component first. */
export function invalidOption(component: string, message: string): DeltavError {
  return new DeltavError(ErrorCodes.INVALID_OPTION, `${component}: ${message}`);
}

/** Describes a received value for an error message, with its type when that helps. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return `${String(value)} (${value === null ? 'null' : typeof value})`;
  return JSON.stringify(value) ?? String(value);
}
