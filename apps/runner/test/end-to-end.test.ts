import { Pipeline, Scheduler } from '@deltav/core';
import { FileDestination } from '@deltav/dest-file';
import { HttpSource } from '@deltav/source-http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, tempFolder } from './helpers.js';

describe('HTTP to file pipeline', () => {
  it('writes the exact response bytes to the file', async () => {
    const body = Buffer.concat([Buffer.from('{"items":[1,2,3]}\n'), Buffer.from([0x00, 0xff, 0xfe, 0x80])]);
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    });
    const folder = await tempFolder();
    const target = join(folder, 'nested', 'out.blob');
    const source = new HttpSource({ url: `${server.url}/data` });
    const pipeline = new Pipeline(source, new FileDestination(target)).setName('http_default').setInterval(30_000);
    const scheduler = new Scheduler();
    scheduler.addPipeline(pipeline);

    const result = await scheduler.runNow('http_default');
    await scheduler.stop();

    expect(result.outcome).toBe('success');
    expect(result.bytes).toBe(body.byteLength);
    expect(Buffer.compare(await readFile(target), body)).toBe(0);
    expect(server.requests()).toBe(1);
  });

  it('runs on its interval under startWithShutdown', async () => {
    let served = 0;
    const server = await startServer((_request, response) => {
      served++;
      response.end(`poll ${served}`);
    });
    const folder = await tempFolder();
    const target = join(folder, 'out.txt');
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(new HttpSource({ url: server.url }), new FileDestination(target)).setName('fast').setInterval(50));
    const controller = new AbortController();

    const done = scheduler.startWithShutdown(controller.signal);
    await expect.poll(() => served, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    controller.abort();
    await done;

    expect(await readFile(target, 'utf8')).toMatch(/^poll \d+$/);
  });

  it('fails the run on a 500 and leaves the old file', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(500).end('internal trouble');
    });
    const folder = await tempFolder();
    const target = join(folder, 'out.txt');
    const destination = new FileDestination(target);
    const scheduler = new Scheduler();
    scheduler.addPipeline(new Pipeline(new HttpSource({ url: server.url }), destination).setName('p'));

    const result = await scheduler.runNow('p');
    await scheduler.stop();

    expect(result.outcome).toBe('failure');
    expect(result.stage).toBe('source');
    expect(result.error).toMatchObject({ code: 'DELTAV_HTTP_STATUS', retryable: true });
    expect(result.error?.message).toBe(`GET ${server.url}/ failed with status 500: internal trouble`);
  });
});
