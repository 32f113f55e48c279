import { assign, setup } from 'xstate';
import { reconnectDelayMs } from '../session/backoff.js';
import { inspectSocket, type InspectSocketEvent, type SocketFactory } from './inspectSocket.js';

export interface ConnectionInput {
  readonly createSocket: SocketFactory;
  readonly onFrame: (data: unknown) => void;
  /** Told when a connection opens (the session starts a new frame reader for it). */
  readonly onOpen?: (url: string) => void;
}

export interface ConnectionContext extends ConnectionInput {
  readonly url: string | null;
  /** Reconnect attempts since the last open. */
  readonly attempt: number;
  readonly lastError: string | null;
}

export type ConnectionEvent = { type: 'CONNECT'; url: string } | { type: 'DISCONNECT' } | InspectSocketEvent;

/**
 * The connection to one inspection endpoint: idle → connecting → open; a dropped or refused
 * connection waits (250 ms doubling to 5 s) and tries again, saying so, until DISCONNECT. Only the
 * URL it is given is used: the caller checks it (loopback, or confirmed by the user) first.
 */
export const connectionMachine = setup({
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    input: {} as ConnectionInput,
  },
  actors: { inspectSocket },
  actions: {
    noteOpen: ({ context }) => {
      if (context.url) context.onOpen?.(context.url);
    },
  },
  delays: {
    backoff: ({ context }) => reconnectDelayMs(context.attempt),
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => ({ ...input, url: null, attempt: 0, lastError: null }),
  initial: 'idle',
  on: {
    CONNECT: { target: '.live', reenter: true, actions: assign({ url: ({ event }) => event.url, attempt: 0, lastError: null }) },
    DISCONNECT: { target: '.idle' },
  },
  states: {
    idle: {},
    /** A socket exists (connecting or open); it is closed on leaving. */
    live: {
      invoke: {
        src: 'inspectSocket',
        input: ({ context }) => ({ url: context.url ?? '', createSocket: context.createSocket, onFrame: context.onFrame }),
      },
      initial: 'connecting',
      states: {
        connecting: {
          on: { 'SOCKET.OPEN': { target: 'open' } },
        },
        open: {
          entry: [assign({ attempt: 0, lastError: null }), 'noteOpen'],
        },
      },
      on: {
        'SOCKET.CLOSED': { target: 'waiting', actions: assign({ attempt: ({ context }) => context.attempt + 1, lastError: ({ event }) => event.reason }) },
      },
    },
    waiting: {
      after: { backoff: 'live' },
    },
  },
});
