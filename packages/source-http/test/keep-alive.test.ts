import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HttpSource } from '../src/index.js';
import { closeAndExpectNoSockets, createRunContext, rejectionOf, requestEvents, startServer, bodyOf } from './helpers.js';

describe('HttpSource keep-alive', () => {
  it('reuses one connection across polls', async () => {
    const server = await startServer((_request, response) => response.end('fresh'));
    const source = new HttpSource({ url: server.url });

    for (let poll = 0; poll < 3; poll++) {
      const payload = await source.fetch(createRunContext().context);
      expect(bodyOf(payload).toString()).toBe('fresh');
      // Lets undici return the connection to the pool before the next poll.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(server.requests).toHaveLength(3);
    expect(server.connections()).toBe(1);
    await closeAndExpectNoSockets(source, server);
  });

  it('polls again after the server closes idle sockets', async () => {
    const server = await startServer((request, response) => {
      const socket = request.socket;
      response.end('fresh', () => {
        // Closes the idle connection soon after the answer, as a short server keep-alive timeout does.
        setTimeout(() => socket.destroy(), 10);
      });
    });
    const source = new HttpSource({ url: server.url });

    await source.fetch(createRunContext().context);
    await expect.poll(() => server.openSockets()).toBe(0);
    const payload = await source.fetch(createRunContext().context);

    expect(bodyOf(payload).toString()).toBe('fresh');
    expect(server.connections()).toBe(2);
    await closeAndExpectNoSockets(source, server);
  });

  it('resends once when a reused socket was closed', async () => {
    const served = new WeakSet<Socket>();
    const server = await startServer((request, response) => {
      // A socket that already served a request drops the next one unanswered, as a
      // server does when its idle timeout fires just as the request arrives.
      if (served.has(request.socket)) {
        request.socket.destroy();
        return;
      }
      served.add(request.socket);
      response.end(`answer ${server.requests.length}`);
    });
    const source = new HttpSource({ url: server.url });

    await source.fetch(createRunContext().context);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { context, events } = createRunContext();
    const payload = await source.fetch(context);

    expect(bodyOf(payload).toString()).toBe('answer 3');
    expect(server.requests).toHaveLength(3);
    expect(server.connections()).toBe(2);
    expect(requestEvents(events)).toMatchObject([{ statusClass: 'none' }, { statusCode: 200 }]);
    await closeAndExpectNoSockets(source, server);
  });

  it('does not resend a POST on a closed socket', async () => {
    const served = new WeakSet<Socket>();
    const server = await startServer((request, response) => {
      if (served.has(request.socket)) {
        request.socket.destroy();
        return;
      }
      served.add(request.socket);
      response.end('ok');
    });
    const source = new HttpSource({ url: server.url, method: 'POST', body: 'order' });

    await source.fetch(createRunContext().context);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_NETWORK');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(2);
    await closeAndExpectNoSockets(source, server);
  });

  it('close is idempotent and rejects later fetches', async () => {
    const server = await startServer((_request, response) => response.end('ok'));
    const source = new HttpSource({ url: server.url });
    await source.fetch(createRunContext().context);

    await Promise.all([source.close(), source.close()]);
    await source.close();
    const error = await rejectionOf(source.fetch(createRunContext().context));

    expect(error.code).toBe('DELTAV_HTTP_CLOSED');
    expect(error.message).toBe(`HttpSource for ${server.url}/ is closed. Create a new source to fetch again.`);
    await expect.poll(() => server.openSockets()).toBe(0);
  });
});
