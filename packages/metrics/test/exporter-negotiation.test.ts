import { gunzipSync } from 'node:zlib';
import { Counter, Histogram, Registry } from 'prom-client';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { gatherText, startExporter, type AnyRegistry, type ExporterHandle } from '../src/index.js';
import { request } from './http-client.js';

const PROMETHEUS = 'text/plain; version=0.0.4; charset=utf-8';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
/** The Accept header that Prometheus 2.42 sends with each scrape. */
const PROMETHEUS_SCRAPER_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const registry = new Registry();
new Counter({ name: 'test_events_total', help: 'Test events.', registers: [registry] }).inc(3);
new Histogram({ name: 'test_wait_seconds', help: 'Test waits.', buckets: [1], registers: [registry] }).observe(0.5);
let exporter: ExporterHandle;

beforeAll(async () => {
  exporter = await startExporter({ port: 0, registry });
});

afterAll(() => exporter.shutdown());

describe('content negotiation', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['no Accept', undefined, PROMETHEUS],
    ['*/*', '*/*', PROMETHEUS],
    ['text/plain', 'text/plain', PROMETHEUS],
    ["the Prometheus scraper's Accept", PROMETHEUS_SCRAPER_ACCEPT, OPENMETRICS],
    ['OpenMetrics without a version', 'application/openmetrics-text', OPENMETRICS],
    ['OpenMetrics ranked higher', 'text/plain;q=0.5, application/openmetrics-text;q=0.9', OPENMETRICS],
    ['OpenMetrics ranked lower', 'text/plain;q=0.9, application/openmetrics-text;q=0.5', PROMETHEUS],
    ['OpenMetrics 0.0.1 only', 'application/openmetrics-text; version=0.0.1', PROMETHEUS],
    ['an unsupported type', 'application/json', PROMETHEUS],
  ];

  it.each(cases)('serves %s', async (_name, accept, contentType) => {
    const response = await request(exporter.url, accept === undefined ? {} : { headers: { accept } });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(contentType);
    expect(response.headers.vary).toBe('Accept, Accept-Encoding');
  });

  it('serves the OpenMetrics text', async () => {
    const response = await request(exporter.url, { headers: { accept: PROMETHEUS_SCRAPER_ACCEPT } });

    expect(response.body.toString()).toBe(
      [
        '# HELP test_events Test events.',
        '# TYPE test_events counter',
        'test_events_total 3',
        '# HELP test_wait_seconds Test waits.',
        '# TYPE test_wait_seconds histogram',
        'test_wait_seconds_bucket{le="1"} 1',
        'test_wait_seconds_bucket{le="+Inf"} 1',
        'test_wait_seconds_sum 0.5',
        'test_wait_seconds_count 1',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('serves the Prometheus text after an OpenMetrics scrape', async () => {
    await request(exporter.url, { headers: { accept: 'application/openmetrics-text' } });

    const response = await request(exporter.url);

    expect(response.body.toString()).toBe(
      [
        '# HELP test_events_total Test events.',
        '# TYPE test_events_total counter',
        'test_events_total 3',
        '',
        '# HELP test_wait_seconds Test waits.',
        '# TYPE test_wait_seconds histogram',
        'test_wait_seconds_bucket{le="1"} 1',
        'test_wait_seconds_bucket{le="+Inf"} 1',
        'test_wait_seconds_sum 0.5',
        'test_wait_seconds_count 1',
        '',
      ].join('\n'),
    );
    expect(registry.contentType).toBe(PROMETHEUS);
  });

  it('renders an empty OpenMetrics registry as EOF alone', async () => {
    expect(await gatherText(new Registry(), 'openmetrics')).toBe('# EOF\n');
    expect(await gatherText(new Registry())).toBe('');
  });

  it('leaves exemplars out of the Prometheus text', async () => {
    // prom-client's types declare no constructor argument, so the content type is set afterwards.
    const openMetricsRegistry: AnyRegistry = new Registry();
    openMetricsRegistry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const counter = new Counter<string>({ name: 'traced_total', help: 'Traced events.', enableExemplars: true, registers: [openMetricsRegistry as Registry] });
    counter.inc({ value: 2, exemplarLabels: { trace_id: 'abc' } });

    const prometheus = await gatherText(openMetricsRegistry);
    const openMetrics = await gatherText(openMetricsRegistry, 'openmetrics');

    expect(prometheus.split('\n')).toContain('traced_total 2');
    expect(openMetrics.split('\n').find((line) => line.startsWith('traced_total'))).toMatch(/^traced_total 2 # \{trace_id="abc"\} 2 \d+(\.\d+)?$/);
    expect(openMetricsRegistry.contentType).toBe(OPENMETRICS);
  });
});

describe('compression', () => {
  it('gzips when Accept-Encoding allows it', async () => {
    const plain = await request(exporter.url);
    const compressed = await request(exporter.url, { headers: { 'accept-encoding': 'gzip' } });

    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(compressed.headers['content-length']).toBe(String(compressed.body.length));
    expect(gunzipSync(compressed.body).toString()).toBe(plain.body.toString());
  });

  it('gzips OpenMetrics too', async () => {
    const compressed = await request(exporter.url, { headers: { 'accept-encoding': 'br, gzip;q=0.8', accept: 'application/openmetrics-text' } });

    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(compressed.body).toString().endsWith('# EOF\n')).toBe(true);
  });

  it('sends identity when gzip is refused or unknown', async () => {
    const refused = await request(exporter.url, { headers: { 'accept-encoding': 'gzip;q=0' } });
    const other = await request(exporter.url, { headers: { 'accept-encoding': 'deflate' } });

    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(other.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString().split('\n')).toContain('test_events_total 3');
  });

  it('answers HEAD with the compressed length', async () => {
    const get = await request(exporter.url, { headers: { 'accept-encoding': 'gzip' } });
    const head = await request(exporter.url, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });

    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(String(get.body.length));
    expect(head.body.length).toBe(0);
  });
});
