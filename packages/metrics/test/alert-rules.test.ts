import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasPromtool, promtoolOnFiles } from './promtool.js';

/** Extracts the YAML block under the README's "Alert rules" heading. */
function readmeRules(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Alert rules'));
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error('README.md has no yaml block under "## Alert rules".');
  return match[1]!;
}

const labels = 'job="deltav",instance="127.0.0.1:9464",pipeline="orders"';
const alertLabels = { job: 'deltav', instance: '127.0.0.1:9464', pipeline: 'orders' };

/** Synthetic series for each alert, and when and with which labels it must fire. */
const unitTests = {
  rule_files: ['rules.yml'],
  evaluation_interval: '1m',
  tests: [
    {
      interval: '1m',
      input_series: [{ series: `deltav_pipeline_last_success_timestamp_seconds{${labels}}`, values: '0+0x120' }],
      alert_rule_test: [
        { eval_time: '30m', alertname: 'DeltavPipelineStale', exp_alerts: [] },
        {
          eval_time: '70m',
          alertname: 'DeltavPipelineStale',
          exp_alerts: [{ exp_labels: { ...alertLabels, severity: 'warning' }, exp_annotations: { summary: 'Pipeline orders has not succeeded in over an hour' } }],
        },
      ],
    },
    {
      interval: '1m',
      input_series: [{ series: `deltav_pipeline_runs_total{${labels},outcome="failure"}`, values: '1+0x120' }],
      alert_rule_test: [
        {
          eval_time: '70m',
          alertname: 'DeltavPipelineNeverSucceeded',
          exp_alerts: [
            {
              exp_labels: { ...alertLabels, outcome: 'failure', severity: 'warning' },
              exp_annotations: { summary: 'Pipeline orders has failed and never succeeded since the process started' },
            },
          ],
        },
      ],
    },
    {
      interval: '1m',
      input_series: [
        { series: `deltav_pipeline_runs_total{${labels},outcome="failure"}`, values: '0+1x60' },
        { series: `deltav_pipeline_runs_total{${labels},outcome="success"}`, values: '0+0x60' },
        { series: `deltav_pipeline_runs_total{${labels},outcome="unchanged"}`, values: '0+0x60' },
      ],
      alert_rule_test: [
        { eval_time: '10m', alertname: 'DeltavPipelineFailing', exp_alerts: [] },
        {
          eval_time: '40m',
          alertname: 'DeltavPipelineFailing',
          exp_alerts: [{ exp_labels: { ...alertLabels, severity: 'critical' }, exp_annotations: { summary: 'Over half the runs of pipeline orders failed in the last 15 minutes' } }],
        },
      ],
    },
    {
      interval: '1m',
      input_series: [
        { series: `deltav_pipeline_skipped_runs_total{${labels},reason="overrun"}`, values: '0 0 0 0 0 1 2 3 4 5' },
        { series: `deltav_pipeline_skipped_runs_total{${labels},reason="late"}`, values: '0+1x10' },
      ],
      alert_rule_test: [
        { eval_time: '3m', alertname: 'DeltavPipelineOverrunning', exp_alerts: [] },
        {
          eval_time: '8m',
          alertname: 'DeltavPipelineOverrunning',
          exp_alerts: [
            {
              exp_labels: { ...alertLabels, reason: 'overrun', severity: 'warning' },
              exp_annotations: { summary: 'Pipeline orders skipped slots because runs outlast its interval' },
            },
          ],
        },
      ],
    },
  ],
};

describe.skipIf(!hasPromtool())('README alert rules', () => {
  it('pass promtool check rules', () => {
    const result = promtoolOnFiles((folder) => ['check', 'rules', `${folder}/rules.yml`], { 'rules.yml': readmeRules() });

    expect(result.output).toMatch(/SUCCESS: 4 rules found/);
    expect(result.status).toBe(0);
  });

  it('fire on synthetic series', () => {
    // JSON is YAML, so the unit test file needs no YAML writer.
    const result = promtoolOnFiles(() => ['test', 'rules', 'tests.yml'], { 'rules.yml': readmeRules(), 'tests.yml': JSON.stringify(unitTests) });

    expect(result.output).toBe('Unit Testing:  tests.yml\n  SUCCESS');
    expect(result.status).toBe(0);
  });
});
