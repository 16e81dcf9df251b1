import type { StateStore } from '@deltav/core';
import { createHash } from 'node:crypto';

/** The state key of the validators and content hash of the last successful fetch. */
export const VALIDATORS_STATE_KEY = 'source-http.validators';

/** Validators and content hash of the last successful fetch, as kept in the state store. */
export interface StoredValidators {
  /**
   * SHA-256 of the method and URL the validators belong to, so a changed URL starts
   * afresh. A hash, because the URL may carry secrets and state may be written to disk.
   */
  request: string;
  etag?: string;
  lastModified?: string;
  /** SHA-256 of the decoded body, hex, when `compareContentHash` is on. */
  sha256?: string;
}

/** Returns the hex SHA-256 of some bytes or text. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Loads the validators stored for this request, ignoring those of another request or of a malformed entry. */
export async function loadValidators(state: StateStore, request: string): Promise<StoredValidators | undefined> {
  const stored = await state.get<Partial<StoredValidators>>(VALIDATORS_STATE_KEY);
  if (typeof stored !== 'object' || stored === null || stored.request !== request) return undefined;

  const validators: StoredValidators = { request };
  if (typeof stored.etag === 'string') validators.etag = stored.etag;
  if (typeof stored.lastModified === 'string') validators.lastModified = stored.lastModified;
  if (typeof stored.sha256 === 'string') validators.sha256 = stored.sha256;
  return validators;
}

/** Returns the conditional request headers for stored validators. */
export function conditionalHeaders(validators: StoredValidators | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (validators?.etag !== undefined) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified !== undefined) headers['if-modified-since'] = validators.lastModified;
  return headers;
}
