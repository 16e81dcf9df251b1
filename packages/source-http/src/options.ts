import { DeltavError } from '@deltav/core';
import { z } from 'zod';
import { HttpErrorCodes } from './errors.js';

/** Options of `HttpSource`. */
export interface HttpSourceOptions {
  /** The absolute http: or https: URL to poll. */
  url: string;
  /**
   * Request method.
   * @default "GET"
   */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Request body, sent as is. */
  body?: string;
  /**
   * Time to wait for the response headers, in milliseconds.
   * @default 30000
   */
  headersTimeoutMs?: number;
  /**
   * Maximum idle time between two body chunks, in milliseconds.
   * @default 30000
   */
  bodyTimeoutMs?: number;
  /**
   * Largest accepted response body, in bytes. A larger body aborts the transfer.
   * @default 67108864 (64 MiB)
   */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The options schema, shared by the constructor and the runner's config validation. */
export const httpSourceOptionsSchema = z.strictObject({
  url: z.string().refine((value) => isHttpUrl(value), { message: 'expected an absolute http: or https: URL, such as "http://127.0.0.1:8080/data"' }),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  headersTimeoutMs: z.number().int().positive().optional(),
  bodyTimeoutMs: z.number().int().positive().optional(),
  maxBodyBytes: z.number().int().positive().optional(),
});

/** Validates options and fills defaults; throws a coded error naming the first bad option. */
export function resolveOptions(options: HttpSourceOptions): Required<Omit<HttpSourceOptions, 'body'>> & { body: string | undefined; parsedUrl: URL } {
  const result = httpSourceOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.') || 'options';
    throw new DeltavError(HttpErrorCodes.INVALID_OPTION, `HttpSource: invalid ${key}: ${issue.message}.`);
  }

  const value = result.data;
  return {
    url: value.url,
    parsedUrl: new URL(value.url),
    method: value.method ?? 'GET',
    headers: value.headers ?? {},
    body: value.body,
    headersTimeoutMs: value.headersTimeoutMs ?? 30_000,
    bodyTimeoutMs: value.bodyTimeoutMs ?? 30_000,
    maxBodyBytes: value.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
