import { validatePluginOptions } from '@deltav/core';
import { describe, expect, it } from 'vitest';
import { HttpSource, httpSource, type HttpSourceOptions } from '../src/index.js';

function constructionError(options: unknown): Error & { code?: string } {
  try {
    new HttpSource(options as HttpSourceOptions);
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the constructor to throw');
}

describe('HttpSource options', () => {
  it.each([
    [{}, 'url: missing: set it to the absolute http: or https: URL of the endpoint to poll'],
    [{ url: 'ftp://127.0.0.1/file' }, 'url: expected an absolute http: or https: URL such as "http://127.0.0.1:8080/data", received a URL with protocol "ftp:"'],
    [{ url: 'not a url' }, 'url: expected an absolute http: or https: URL such as "http://127.0.0.1:8080/data", received "not a url"'],
    [{ url: 'http://127.0.0.1/', headersTimeoutMs: -1 }, 'headersTimeoutMs: expected a whole number of milliseconds from 0 to 2147483647, received -1'],
    [{ url: 'http://127.0.0.1/', connectTimeoutMs: 1.5 }, 'connectTimeoutMs: expected a whole number of milliseconds from 0 to 2147483647, received 1.5'],
    [{ url: 'http://127.0.0.1/', auth: { kind: 'digest' } }, 'auth.kind: unknown auth kind "digest": expected "basic" or "bearer"'],
    [{ url: 'http://127.0.0.1/', auth: { kind: 'bearer' } }, 'auth.token: set exactly one of token or tokenFile'],
    [{ url: 'http://127.0.0.1/', body: 'a', json: {} }, 'json: set body or json, not both'],
    [{ url: 'http://127.0.0.1/', method: 'HEAD', body: 'a' }, 'method: a HEAD request cannot have a body; use POST or remove body and json'],
    [{ url: 'http://127.0.0.1/', proxy: 'http://127.0.0.1:3128', proxyFromEnvironment: true }, 'proxyFromEnvironment: set proxy or proxyFromEnvironment, not both'],
    [{ url: 'http://127.0.0.1/', headers: { Host: 'x' } }, 'headers.Host: "Host" is set by the HTTP client; remove it'],
    [{ url: 'http://127.0.0.1/', tls: { certFile: '/c.pem' } }, 'tls.key: a client certificate needs both cert (or certFile) and key (or keyFile)'],
    [{ url: 'http://127.0.0.1/', maxBodyBytes: 0 }, 'maxBodyBytes: expected a whole number of bytes >= 1, received 0'],
    [{ url: 'http://127.0.0.1/', acceptedStatuses: [700] }, 'acceptedStatuses.0: expected a status code from 100 to 599, received 700'],
    [{ url: 'http://127.0.0.1/', retries: 3 }, 'options: Unrecognized key: "retries"'],
  ])('rejects %j', (options, problem) => {
    const error = constructionError(options);

    expect(error.code).toBe('DELTAV_HTTP_INVALID_OPTION');
    expect(error.message).toBe(`HttpSource: invalid options: ${problem}.`);
  });

  it('lists every problem at once', () => {
    const error = constructionError({ url: 'http://127.0.0.1/', bodyTimeoutMs: -5, timeoutMs: -1 });

    expect(error.message).toBe(
      'HttpSource: invalid options: bodyTimeoutMs: expected a whole number of milliseconds from 0 to 2147483647, received -5; timeoutMs: expected a whole number of milliseconds from 0 to 2147483647, received -1.',
    );
  });

  it('keeps URL credentials out of messages', () => {
    const error = constructionError({ url: 'ftp://user:hunter2@127.0.0.1/' });

    expect(error.message).not.toContain('hunter2');
  });

  it('fails on an unreadable CA file', () => {
    const error = constructionError({ url: 'https://127.0.0.1/', tls: { caFile: '/nonexistent/ca.pem' } });

    expect(error.code).toBe('DELTAV_HTTP_INVALID_OPTION');
    expect(error.message).toBe('HttpSource: invalid options: tls.caFile: cannot read "/nonexistent/ca.pem" (ENOENT). Check the path and its permissions.');
  });

  it('validates runner configs through the plugin schema', async () => {
    const bad = await validatePluginOptions(httpSource, { url: 'http://127.0.0.1/', auth: { kind: 'oauth' }, bodyTimeoutMs: -1 });
    const good = await validatePluginOptions(httpSource, { url: 'http://127.0.0.1/', auth: { kind: 'basic', username: 'u', passwordFile: '/run/secret' } });

    expect(bad.issues).toEqual([
      { path: ['auth', 'kind'], message: 'unknown auth kind "oauth": expected "basic" or "bearer"' },
      { path: ['bodyTimeoutMs'], message: 'expected a whole number of milliseconds from 0 to 2147483647, received -1' },
    ]);
    expect(good.issues).toBeUndefined();
    expect(httpSource.name).toBe('http');
    expect(httpSource.kind).toBe('source');
  });
});
