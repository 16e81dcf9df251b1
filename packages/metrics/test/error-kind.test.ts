import { DeltavError } from '@deltav/core';
import { describe, expect, it } from 'vitest';
import { errorKind } from '../src/index.js';

const coded = (code: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(code), { code, ...fields });

describe('errorKind', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a run timeout', new DeltavError('DELTAV_RUN_TIMEOUT', 'timed out'), 'timeout'],
    ['an HTTP timeout', coded('DELTAV_HTTP_TIMEOUT'), 'timeout'],
    ['an abort timeout', new DOMException('The operation timed out.', 'TimeoutError'), 'timeout'],
    ['an undici headers timeout', coded('UND_ERR_HEADERS_TIMEOUT'), 'timeout'],
    ['ETIMEDOUT', coded('ETIMEDOUT'), 'timeout'],
    ['a network failure', coded('DELTAV_HTTP_NETWORK'), 'network'],
    ['a refused connection', coded('ECONNREFUSED'), 'network'],
    ['an undici socket error', coded('UND_ERR_SOCKET'), 'network'],
    ['HTTP 404', coded('DELTAV_HTTP_STATUS', { statusCode: 404 }), 'http_4xx'],
    ['HTTP 503', coded('DELTAV_HTTP_STATUS', { statusCode: 503 }), 'http_5xx'],
    ['HTTP 304', coded('DELTAV_HTTP_STATUS', { statusCode: 304 }), 'other'],
    ['a status error without status', coded('DELTAV_HTTP_STATUS'), 'other'],
    ['a file error', coded('DELTAV_FILE_WRITE'), 'io'],
    ['ENOSPC', coded('ENOSPC'), 'io'],
    ['EACCES', coded('EACCES'), 'io'],
    ['a Node.js ERR_ code', coded('ERR_INVALID_ARG_TYPE'), 'other'],
    ['an error without code', new Error('boom'), 'other'],
    ['an abort', new DOMException('aborted', 'AbortError'), 'other'],
    ['a string', 'boom', 'other'],
    ['a cause with a code', new Error('fetch failed', { cause: coded('ECONNRESET') }), 'network'],
    ['an unknown code over a known cause', Object.assign(new Error('wrapped', { cause: coded('EIO') }), { code: 'PLUGIN_FAILED' }), 'io'],
  ];

  it.each(cases)('classifies %s', (_name, error, kind) => {
    expect(errorKind(error)).toBe(kind);
  });
});
