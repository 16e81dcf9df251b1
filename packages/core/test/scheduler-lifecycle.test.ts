import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { fileStateStores, Pipeline, Scheduler, type Logger, type RunContext } from '../src/index.js';
import { listSource, memoryDestination } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

function recordingLogger(lines: Array<Record<string, unknown>>, bindings: Record<string, unknown> = {}): Logger {
  const log =
    (level: string) =>
    (fields: object | string, message?: string): void => {
      const entry = typeof fields === 'string' ? { msg: fields } : { ...fields, msg: message };
      lines.push({ level, ...bindings, ...entry });
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (more) => recordingLogger(lines, { ...bindings, ...more }) };
}

describe('scheduler lifecycle', () => {
  it('adds and removes pipelines while running', async () => {
    vi.useFakeTimers({ now: 0 });
    const scheduler = new Scheduler();
    const first = memoryDestination();
    const second = memoryDestination();
    scheduler.addPipeline(new Pipeline(listSource({ body: 'a' }), first, { name: 'first', intervalMs: 1000 }));
    const removed: string[] = [];
    scheduler.on('pipelineRemoved', (event) => removed.push(event.pipeline));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1500);

    scheduler.addPipeline(new Pipeline(listSource({ body: 'b' }), second, { name: 'second', intervalMs: 1000 }));
    await scheduler.removePipeline('first');
    await vi.advanceTimersByTimeAsync(2000);
    await scheduler.stop();

    expect(first.written).toHaveLength(2);
    expect(first.closed).toBe(1);
    expect(second.written).toHaveLength(3);
    expect(removed).toEqual(['first']);
    expect(scheduler.pipelines.map((pipeline) => pipeline.name)).toEqual(['second']);
  });

  it('runs a pipeline now by name', async () => {
    const destination = memoryDestination();
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(listSource({ body: 'now' }), destination, { name: 'p', intervalMs: 3_600_000 }));

    const result = await scheduler.runNow('p');

    expect(result.outcome).toBe('success');
    expect(destination.written.map((entry) => entry.text)).toEqual(['now']);
    await expect(scheduler.runNow('missing')).rejects.toMatchObject({ code: 'DELTAV_PIPELINE_NOT_FOUND' });
  });

  it('stops on Symbol.asyncDispose', async () => {
    const destination = memoryDestination();
    {
      await using scheduler = new Scheduler();
      scheduler.addPipeline(new Pipeline(listSource(null), destination, { name: 'p' }));
    }

    expect(destination.closed).toBe(1);
  });

  it('logs each run with pipeline and run id', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const scheduler = new Scheduler({ logger: recordingLogger(lines) });
    scheduler.addPipeline(new Pipeline(listSource({ body: 'payload body' }), memoryDestination(), { name: 'p', debugPayload: true }));

    const result = await scheduler.runNow('p');

    const runLines = lines.filter((line) => line.runId === result.runId);
    expect(runLines.map((line) => line.msg)).toEqual(['payload preview', 'run finished']);
    expect(runLines.every((line) => line.pipeline === 'p')).toBe(true);
    expect(runLines[0]).toMatchObject({ level: 'debug', bytes: 12, preview: 'payload body', encoding: 'utf8', truncated: false });
  });

  it('bounds the debug preview and shows binary as hex', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const scheduler = new Scheduler({ logger: recordingLogger(lines) });
    const body = new Uint8Array(10_000).fill(0x01);
    scheduler.addPipeline(new Pipeline(listSource({ body }), memoryDestination(), { name: 'p' }).enableDebugPayload(true));

    await scheduler.runNow('p');

    const preview = lines.find((line) => line.msg === 'payload preview')!;
    expect(preview).toMatchObject({ bytes: 10_000, encoding: 'hex', truncated: true });
    expect(preview.preview).toBe('01'.repeat(256));
  });
});

describe('state stores', () => {
  it('keeps state across runs in memory', async () => {
    const seen: unknown[] = [];
    const source = {
      fetch: async (context: RunContext) => {
        seen.push(await context.state.get('etag'));
        await context.state.set('etag', `"v${seen.length}"`);
        return null;
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'p' }));

    await scheduler.runNow('p');
    await scheduler.runNow('p');

    expect(seen).toEqual([undefined, '"v1"']);
  });

  it('keeps state across restarts in files', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'deltav-state-'));
    onTestFinished(() => rm(folder, { recursive: true, force: true }));
    const seen: unknown[] = [];
    const source = {
      fetch: async (context: RunContext) => {
        seen.push(await context.state.get('checkpoint'));
        await context.state.set('checkpoint', { offset: seen.length });
        return null;
      },
    };

    for (let restart = 0; restart < 2; restart++) {
      const scheduler = new Scheduler({ stateStores: fileStateStores(folder) });
      scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'tail' }));
      await scheduler.runNow('tail');
      await scheduler.stop();
    }

    expect(seen).toEqual([undefined, { offset: 1 }]);
    expect(JSON.parse(await readFile(join(folder, 'tail.state.json'), 'utf8'))).toEqual({ checkpoint: { offset: 2 } });
  });
});

describe('commit callbacks', () => {
  function committingSource(log: string[]) {
    return {
      fetch: async (context: RunContext) => {
        context.onCommit?.(() => {
          log.push(`commit ${context.attempt}`);
        });
        return { body: 'x' };
      },
    };
  }

  it('runs after the destination wrote', async () => {
    const log: string[] = [];
    const destination = {
      write: async () => {
        log.push('write');
      },
    };
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(committingSource(log), destination, { name: 'p' }));

    await scheduler.runNow('p');

    expect(log).toEqual(['write', 'commit 1']);
  });

  it('is dropped when the run fails', async () => {
    const log: string[] = [];
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(committingSource(log), { write: () => Promise.reject(new Error('disk full')) }, { name: 'p' }));

    const result = await scheduler.runNow('p');

    expect(result.outcome).toBe('failure');
    expect(log).toEqual([]);
  });

  it('reports a failing callback without failing the run', async () => {
    const scheduler = new Scheduler();
    const source = {
      fetch: async (context: RunContext) => {
        context.onCommit?.(() => Promise.reject(new Error('state disk gone')));
        return null;
      },
    };
    scheduler.addPipeline(new Pipeline(source, memoryDestination(), { name: 'p' }));
    const isolated: string[] = [];
    scheduler.on('isolatedError', (event) => isolated.push(`${event.origin}:${event.error.message}`));

    const result = await scheduler.runNow('p');

    expect(result.outcome).toBe('unchanged');
    expect(isolated).toEqual(['commit:state disk gone']);
  });
});
