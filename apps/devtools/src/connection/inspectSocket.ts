import { fromCallback, type EventObject } from 'xstate';

/** The part of a WebSocket the devtools use: a port, so tests and the desktop app can give their own. */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface InspectSocketInput {
  readonly url: string;
  readonly createSocket: SocketFactory;
  /** Every frame received, in order (the session reads it). */
  readonly onFrame: (data: unknown) => void;
}

export type InspectSocketEvent = { type: 'SOCKET.OPEN' } | { type: 'SOCKET.CLOSED'; reason: string };

/**
 * I/O actor: one WebSocket connection to an inspection endpoint. Frames go to `onFrame` (not through
 * the machine: there may be thousands a second); open and close are sent back. Stopping the actor
 * closes the socket.
 */
export const inspectSocket = fromCallback<EventObject, InspectSocketInput>(({ input, sendBack }) => {
  let socket: SocketLike;
  let closed = false;
  try {
    socket = input.createSocket(input.url);
  } catch (error) {
    queueMicrotask(() => sendBack({ type: 'SOCKET.CLOSED', reason: error instanceof Error ? error.message : String(error) } satisfies InspectSocketEvent));
    return () => undefined;
  }
  socket.onopen = () => sendBack({ type: 'SOCKET.OPEN' } satisfies InspectSocketEvent);
  socket.onmessage = (event) => input.onFrame(event.data);
  socket.onerror = () => undefined; // a close event always follows, with the code
  socket.onclose = (event) => {
    if (closed) return;
    closed = true;
    sendBack({ type: 'SOCKET.CLOSED', reason: event.reason || `connection closed (code ${event.code ?? '?'})` } satisfies InspectSocketEvent);
  };
  return () => {
    closed = true;
    socket.onmessage = null;
    socket.close();
  };
});
