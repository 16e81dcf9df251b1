import bcrypt from 'bcryptjs';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExporter, type ExporterHandle } from '../src/index.js';
import { request } from './http-client.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let exporter: ExporterHandle;

beforeAll(async () => {
  const registry = new Registry();
  new Counter({ name: 'test_events_total', help: 'Test events.', registers: [registry] }).inc();
  // Cost 4 is the minimum, to keep the test fast; real hashes use 10 or more.
  exporter = await startExporter({ port: 0, registry, basicAuthUsers: { prometheus: bcrypt.hashSync('s3cret: with colon', 4), other: bcrypt.hashSync('x', 4) } });
});

afterAll(() => exporter.shutdown());

describe('basic auth', () => {
  it('accepts a known user and password', async () => {
    const first = await request(exporter.url, { headers: { authorization: basic('prometheus', 's3cret: with colon') } });
    const cached = await request(exporter.url, { headers: { authorization: basic('prometheus', 's3cret: with colon') } });

    expect(first.status).toBe(200);
    expect(first.body.toString().split('\n')).toContain('test_events_total 1');
    expect(cached.status).toBe(200);
  });

  const rejected: Array<[string, Record<string, string>]> = [
    ['no credentials', {}],
    ['a wrong password', { authorization: basic('prometheus', 'guess') }],
    ["another user's password", { authorization: basic('other', 's3cret: with colon') }],
    ['an unknown user', { authorization: basic('nobody', 's3cret: with colon') }],
    ['a bearer token', { authorization: 'Bearer abc' }],
    ['credentials without a colon', { authorization: `Basic ${Buffer.from('prometheus').toString('base64')}` }],
  ];

  it.each(rejected)('rejects %s', async (_name, headers) => {
    const response = await request(exporter.url, { headers });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="deltav", charset="UTF-8"');
    expect(response.body.toString()).toBe('Unauthorized.\n');
  });

  it('leaves the health endpoints open', async () => {
    const base = exporter.url.replace(/\/metrics$/, '');

    expect((await request(`${base}/healthz`)).status).toBe(200);
    expect((await request(`${base}/readyz`)).status).toBe(200);
  });
});
