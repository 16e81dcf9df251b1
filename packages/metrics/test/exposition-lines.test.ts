import { Scheduler } from '@deltav/core';
import { Registry } from 'prom-client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatherText, instrumentScheduler } from '../src/index.js';
import { hasPromtool, promtoolCheck, promtoolCheckOpenMetrics } from './promtool.js';
import { runScript, seriesOf, START_SECONDS, useScriptClock } from './scripted-runs.js';

let prometheusText = '';
let openMetricsText = '';
let duringOverrun = '';

beforeAll(async () => {
  useScriptClock();
  try {
    const registry = new Registry();
    await runScript(registry, async () => {
      duringOverrun = await gatherText(registry);
    });
    openMetricsText = await gatherText(registry, 'openmetrics');
    prometheusText = await gatherText(registry);
  } finally {
    vi.useRealTimers();
  }
});

afterEach(() => {
  vi.useRealTimers();
});

const at = (offsetSeconds: number): string => String((START_SECONDS * 1000 + offsetSeconds * 1000) / 1000);

describe('exposition lines', () => {
  it('counts runs by outcome', () => {
    expect(seriesOf(prometheusText, 'deltav_pipeline_runs_total', 'overrun')).toEqual([
      'deltav_pipeline_runs_total{pipeline="overrun",outcome="success"} 1',
      'deltav_pipeline_runs_total{pipeline="overrun",outcome="failure"} 0',
      'deltav_pipeline_runs_total{pipeline="overrun",outcome="unchanged"} 0',
      'deltav_pipeline_runs_total{pipeline="overrun",outcome="skipped"} 2',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_runs_total', 'fetch_cached')).toContain(
      'deltav_pipeline_runs_total{pipeline="fetch_cached",outcome="unchanged"} 1',
    );
    expect(seriesOf(prometheusText, 'deltav_pipeline_runs_total', 'fetch_broken')).toContain(
      'deltav_pipeline_runs_total{pipeline="fetch_broken",outcome="failure"} 1',
    );
  });

  it('counts skipped runs by reason', () => {
    expect(seriesOf(prometheusText, 'deltav_pipeline_skipped_runs_total', 'overrun')).toEqual([
      'deltav_pipeline_skipped_runs_total{pipeline="overrun",reason="overrun"} 2',
      'deltav_pipeline_skipped_runs_total{pipeline="overrun",reason="late"} 0',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_skipped_runs_total', 'late_slot')).toEqual([
      'deltav_pipeline_skipped_runs_total{pipeline="late_slot",reason="overrun"} 0',
      'deltav_pipeline_skipped_runs_total{pipeline="late_slot",reason="late"} 2',
    ]);
  });

  it('observes run durations in seconds', () => {
    expect(seriesOf(prometheusText, 'deltav_pipeline_run_duration_seconds_bucket', 'fetch_ok')).toEqual([
      'deltav_pipeline_run_duration_seconds_bucket{le="0.005",pipeline="fetch_ok"} 0',
      'deltav_pipeline_run_duration_seconds_bucket{le="0.01",pipeline="fetch_ok"} 0',
      'deltav_pipeline_run_duration_seconds_bucket{le="0.025",pipeline="fetch_ok"} 0',
      'deltav_pipeline_run_duration_seconds_bucket{le="0.05",pipeline="fetch_ok"} 0',
      'deltav_pipeline_run_duration_seconds_bucket{le="0.1",pipeline="fetch_ok"} 0',
      'deltav_pipeline_run_duration_seconds_bucket{le="0.25",pipeline="fetch_ok"} 0',
      'deltav_pipeline_run_duration_seconds_bucket{le="0.5",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="1",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="2.5",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="5",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="10",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="30",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="60",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="120",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="300",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="600",pipeline="fetch_ok"} 2',
      'deltav_pipeline_run_duration_seconds_bucket{le="+Inf",pipeline="fetch_ok"} 2',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_run_duration_seconds_sum', 'fetch_ok')).toEqual([
      'deltav_pipeline_run_duration_seconds_sum{pipeline="fetch_ok"} 0.6',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_run_duration_seconds_count', 'fetch_ok')).toEqual([
      'deltav_pipeline_run_duration_seconds_count{pipeline="fetch_ok"} 2',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_run_duration_seconds_sum', 'fetch_slow')).toEqual([
      'deltav_pipeline_run_duration_seconds_sum{pipeline="fetch_slow"} 1',
    ]);
  });

  it('counts attempts and retries by stage', () => {
    expect(seriesOf(prometheusText, 'deltav_pipeline_attempts_total', 'fetch_ok')).toEqual([
      'deltav_pipeline_attempts_total{pipeline="fetch_ok",stage="source"} 2',
      'deltav_pipeline_attempts_total{pipeline="fetch_ok",stage="destination"} 2',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_attempts_total', 'fetch_broken')).toEqual([
      'deltav_pipeline_attempts_total{pipeline="fetch_broken",stage="source"} 1',
      'deltav_pipeline_attempts_total{pipeline="fetch_broken",stage="destination"} 0',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_retries_total', 'fetch_broken')).toEqual([
      'deltav_pipeline_retries_total{pipeline="fetch_broken",stage="source"} 0',
      'deltav_pipeline_retries_total{pipeline="fetch_broken",stage="destination"} 0',
    ]);
  });

  it('counts errors by stage and kind', () => {
    const failed = (text: string) => text.split('\n').filter((line) => line.startsWith('deltav_pipeline_errors_total{') && !line.endsWith(' 0'));

    expect(failed(prometheusText)).toEqual([
      'deltav_pipeline_errors_total{pipeline="fetch_broken",stage="source",kind="http_5xx"} 1',
      'deltav_pipeline_errors_total{pipeline="fetch_refused",stage="source",kind="network"} 1',
      'deltav_pipeline_errors_total{pipeline="write_full",stage="destination",kind="io"} 1',
      'deltav_pipeline_errors_total{pipeline="fetch_slow",stage="source",kind="timeout"} 1',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_errors_total', 'fetch_ok')).toHaveLength(12);
  });

  it('counts payload bytes and observes payload sizes', () => {
    expect(seriesOf(prometheusText, 'deltav_pipeline_payload_bytes_total')).toEqual([
      'deltav_pipeline_payload_bytes_total{pipeline="fetch_ok"} 10',
      'deltav_pipeline_payload_bytes_total{pipeline="fetch_cached"} 0',
      'deltav_pipeline_payload_bytes_total{pipeline="fetch_broken"} 0',
      'deltav_pipeline_payload_bytes_total{pipeline="fetch_refused"} 0',
      'deltav_pipeline_payload_bytes_total{pipeline="write_full"} 2000',
      'deltav_pipeline_payload_bytes_total{pipeline="fetch_slow"} 0',
      'deltav_pipeline_payload_bytes_total{pipeline="overrun"} 2',
      'deltav_pipeline_payload_bytes_total{pipeline="late_slot"} 8',
    ]);
    const buckets = seriesOf(prometheusText, 'deltav_pipeline_payload_size_bytes_bucket', 'write_full');
    expect(buckets).toContain('deltav_pipeline_payload_size_bytes_bucket{le="1024",pipeline="write_full"} 0');
    expect(buckets).toContain('deltav_pipeline_payload_size_bytes_bucket{le="4096",pipeline="write_full"} 1');
    expect(seriesOf(prometheusText, 'deltav_pipeline_payload_size_bytes_sum', 'write_full')).toEqual([
      'deltav_pipeline_payload_size_bytes_sum{pipeline="write_full"} 2000',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_payload_size_bytes_count', 'fetch_ok')).toEqual([
      'deltav_pipeline_payload_size_bytes_count{pipeline="fetch_ok"} 2',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_payload_size_bytes_count', 'fetch_cached')).toEqual([]);
  });

  it('tracks runs in flight', () => {
    expect(seriesOf(duringOverrun, 'deltav_pipeline_runs_in_flight', 'overrun')).toEqual(['deltav_pipeline_runs_in_flight{pipeline="overrun"} 1']);
    expect(seriesOf(prometheusText, 'deltav_pipeline_runs_in_flight', 'overrun')).toEqual(['deltav_pipeline_runs_in_flight{pipeline="overrun"} 0']);
  });

  it('sets last success and last attempt timestamps', () => {
    expect(seriesOf(prometheusText, 'deltav_pipeline_last_success_timestamp_seconds')).toEqual([
      `deltav_pipeline_last_success_timestamp_seconds{pipeline="fetch_ok"} ${at(0.6)}`,
      `deltav_pipeline_last_success_timestamp_seconds{pipeline="fetch_cached"} ${at(0.6)}`,
      `deltav_pipeline_last_success_timestamp_seconds{pipeline="overrun"} ${at(3.6)}`,
      `deltav_pipeline_last_success_timestamp_seconds{pipeline="late_slot"} ${at(6.6)}`,
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_last_attempt_timestamp_seconds', 'fetch_ok')).toEqual([
      `deltav_pipeline_last_attempt_timestamp_seconds{pipeline="fetch_ok"} ${at(0.3)}`,
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_last_attempt_timestamp_seconds', 'fetch_broken')).toEqual([
      `deltav_pipeline_last_attempt_timestamp_seconds{pipeline="fetch_broken"} ${at(0.6)}`,
    ]);
  });

  it('observes schedule lateness in seconds', () => {
    expect(seriesOf(prometheusText, 'deltav_pipeline_schedule_lateness_seconds_count', 'late_slot')).toEqual([
      'deltav_pipeline_schedule_lateness_seconds_count{pipeline="late_slot"} 2',
    ]);
    expect(seriesOf(prometheusText, 'deltav_pipeline_schedule_lateness_seconds_bucket', 'late_slot')[0]).toBe(
      'deltav_pipeline_schedule_lateness_seconds_bucket{le="0.001",pipeline="late_slot"} 2',
    );
  });

  it('counts HTTP requests by status class', () => {
    expect(seriesOf(prometheusText, 'deltav_http_requests_total', 'fetch_cached')).toEqual([
      'deltav_http_requests_total{pipeline="fetch_cached",status_class="1xx"} 0',
      'deltav_http_requests_total{pipeline="fetch_cached",status_class="2xx"} 0',
      'deltav_http_requests_total{pipeline="fetch_cached",status_class="3xx"} 1',
      'deltav_http_requests_total{pipeline="fetch_cached",status_class="4xx"} 0',
      'deltav_http_requests_total{pipeline="fetch_cached",status_class="5xx"} 0',
      'deltav_http_requests_total{pipeline="fetch_cached",status_class="none"} 0',
    ]);
    expect(seriesOf(prometheusText, 'deltav_http_requests_total', 'fetch_ok')).toContain('deltav_http_requests_total{pipeline="fetch_ok",status_class="2xx"} 2');
    expect(seriesOf(prometheusText, 'deltav_http_requests_total', 'fetch_refused')).toContain(
      'deltav_http_requests_total{pipeline="fetch_refused",status_class="none"} 1',
    );
    expect(seriesOf(prometheusText, 'deltav_http_requests_total', 'write_full')).toEqual([]);
  });

  it('observes HTTP request durations and not-modified responses', () => {
    expect(seriesOf(prometheusText, 'deltav_http_request_duration_seconds_sum')).toEqual([
      'deltav_http_request_duration_seconds_sum{pipeline="fetch_ok"} 0.24',
      'deltav_http_request_duration_seconds_sum{pipeline="fetch_cached"} 0.04',
      'deltav_http_request_duration_seconds_sum{pipeline="fetch_broken"} 1.5',
      'deltav_http_request_duration_seconds_sum{pipeline="fetch_refused"} 0.002',
    ]);
    expect(seriesOf(prometheusText, 'deltav_http_request_duration_seconds_bucket', 'fetch_broken')).toContain(
      'deltav_http_request_duration_seconds_bucket{le="1",pipeline="fetch_broken"} 0',
    );
    expect(seriesOf(prometheusText, 'deltav_http_request_duration_seconds_bucket', 'fetch_broken')).toContain(
      'deltav_http_request_duration_seconds_bucket{le="2.5",pipeline="fetch_broken"} 1',
    );
    expect(seriesOf(prometheusText, 'deltav_http_not_modified_responses_total')).toEqual([
      'deltav_http_not_modified_responses_total{pipeline="fetch_ok"} 0',
      'deltav_http_not_modified_responses_total{pipeline="fetch_cached"} 1',
      'deltav_http_not_modified_responses_total{pipeline="fetch_broken"} 0',
      'deltav_http_not_modified_responses_total{pipeline="fetch_refused"} 0',
    ]);
  });

  it('exposes build info once', () => {
    expect(seriesOf(prometheusText, 'deltav_build_info')).toEqual(['deltav_build_info{version="1.2.3"} 1']);
  });

  it('names counter families for each format', () => {
    expect(prometheusText.split('\n')).toContain('# TYPE deltav_pipeline_runs_total counter');
    expect(openMetricsText.split('\n')).toContain('# TYPE deltav_pipeline_runs counter');
    expect(openMetricsText.split('\n')).toContain('# HELP deltav_pipeline_runs Pipeline runs by outcome; skipped counts slots that did not start a run.');
    expect(openMetricsText.split('\n')).not.toContain('# TYPE deltav_pipeline_runs_total counter');
  });

  it('has the same samples in both formats', () => {
    const samples = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

    expect(samples(openMetricsText)).toEqual(samples(prometheusText));
    expect(samples(prometheusText).length).toBeGreaterThan(400);
  });

  it('ends each format as its spec requires', () => {
    expect(openMetricsText.endsWith('deltav_build_info{version="1.2.3"} 1\n# EOF\n')).toBe(true);
    expect(openMetricsText.slice(0, -1).split('\n')).not.toContain('');
    expect(prometheusText.endsWith('deltav_build_info{version="1.2.3"} 1\n')).toBe(true);
    expect(prometheusText).not.toContain('# EOF');
  });
});

describe.skipIf(!hasPromtool())('promtool check metrics', () => {
  it('passes the Prometheus text', () => {
    const result = promtoolCheck(prometheusText);

    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('passes the OpenMetrics text', () => {
    const result = promtoolCheckOpenMetrics(openMetricsText);

    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('passes with the default collectors', async () => {
    const registry = new Registry();
    instrumentScheduler(new Scheduler(), { registry });

    const prometheus = promtoolCheck(await gatherText(registry));
    const openMetrics = promtoolCheckOpenMetrics(await gatherText(registry, 'openmetrics'));

    expect(prometheus.output).toBe('');
    expect(openMetrics.output).toBe('');
  });
});
