import { afterEach, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import { InspectBindError, startInspectServer, type InspectServer } from './inspectServer.js';

let server: InspectServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function connect(port: number): Promise<{ socket: WebSocket; batches: unknown[][]; next: () => Promise<unknown[]> }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`);
  const batches: unknown[][] = [];
  const waiters: ((b: unknown[]) => void)[] = [];
  socket.on('message', (data) => {
    const parsed = JSON.parse(String(data));
    expect(parsed).toMatchObject({ type: 'batch', protocol: 2 });
    const waiter = waiters.shift();
    if (waiter) waiter(parsed.messages);
    else batches.push(parsed.messages);
  });
  const next = () => (batches.length > 0 ? Promise.resolve(batches.shift()!) : new Promise<unknown[]>((r) => waiters.push(r)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, batches, next }));
    socket.once('error', reject);
  });
}

describe('startInspectServer', () => {
  it('binds to 127.0.0.1 and delivers published messages in batches', async () => {
    server = await startInspectServer({ port: 0, flushIntervalMs: 10 });
    expect(server.host).toBe('127.0.0.1');
    const client = await connect(server.port);
    server.publish({ type: 'metrics', t: 1, seq: 1, metrics: { underruns: 0 } });
    server.publish({ type: 'metrics', t: 2, seq: 2, metrics: { underruns: 1 } });
    expect(await client.next()).toEqual([
      { type: 'metrics', t: 1, seq: 1, metrics: { underruns: 0 } },
      { type: 'metrics', t: 2, seq: 2, metrics: { underruns: 1 } },
    ]);
    client.socket.close();
  });

  it('greets a new client with the hello messages', async () => {
    server = await startInspectServer({ port: 0 });
    server.setHello(() => [{ type: 'actor.stopped', t: 0, seq: 3, sessionId: 'x:0', status: 'done' }]);
    const client = await connect(server.port);
    expect(await client.next()).toEqual([{ type: 'actor.stopped', t: 0, seq: 3, sessionId: 'x:0', status: 'done' }]);
    client.socket.close();
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses to bind to %s', async (host) => {
    await expect(startInspectServer({ port: 0, host })).rejects.toBeInstanceOf(InspectBindError);
  });
});
