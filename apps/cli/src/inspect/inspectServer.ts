import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { inspectBatch, type InspectMessage } from '@trax/engine-machines';

/** Hosts the inspection server (and the devtools server) may bind to: loopback only, never other interfaces. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackBindHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}

export class InspectBindError extends Error {
  readonly host: string;
  constructor(host: string) {
    super(`refusing to serve inspection on ${host}: only loopback (127.0.0.1, ::1) is allowed`);
    this.name = 'InspectBindError';
    this.host = host;
  }
}

export interface InspectServerOptions {
  port: number;
  host?: string;
  /** Messages are sent in batches at most this often (ms): inspection events arrive in bursts. */
  flushIntervalMs?: number;
}

export interface InspectServer {
  readonly port: number;
  readonly host: string;
  /** Queues a message for every connected client (and for clients that connect later: see `hello`). */
  publish(message: InspectMessage): void;
  /** The messages a new client receives first: the recorder's greeting (hello, live actors). */
  setHello(hello: () => InspectMessage[]): void;
  close(): Promise<void>;
}

/**
 * Serves inspection messages over a WebSocket as JSON batches: `{ "type": "batch", "protocol": 2, "messages": [...] }`.
 * Binds to 127.0.0.1 by default and refuses any non-loopback host.
 */
export async function startInspectServer(options: InspectServerOptions): Promise<InspectServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new InspectBindError(host);
  const flushIntervalMs = options.flushIntervalMs ?? 50;

  const http = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('trax inspection: connect with a WebSocket\n');
  });
  const wss = new WebSocketServer({ server: http });
  let hello: () => InspectMessage[] = () => [];
  let pending: InspectMessage[] = [];

  const send = (socket: WebSocket, messages: InspectMessage[]) => {
    if (messages.length > 0 && socket.readyState === socket.OPEN) socket.send(JSON.stringify(inspectBatch(messages)));
  };
  wss.on('connection', (socket) => send(socket, hello()));

  const timer = setInterval(() => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    for (const client of wss.clients) send(client, batch);
  }, flushIntervalMs);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host === 'localhost' ? '127.0.0.1' : host, () => resolve());
  });
  const address = http.address() as AddressInfo;

  return {
    port: address.port,
    host: address.address,
    publish(message) {
      if (wss.clients.size > 0) pending.push(message);
    },
    setHello(next) {
      hello = next;
    },
    async close() {
      clearInterval(timer);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
