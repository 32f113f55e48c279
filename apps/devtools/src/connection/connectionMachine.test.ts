import { describe, expect, it, jest } from '@jest/globals';
import { createActor } from 'xstate';
import { connectionMachine } from './connectionMachine.js';
import type { SocketLike } from './inspectSocket.js';

/** A fake WebSocket the test opens, feeds and drops by hand. */
class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
}

function start() {
  const sockets: FakeSocket[] = [];
  const frames: unknown[] = [];
  const opened: string[] = [];
  const actor = createActor(connectionMachine, {
    input: { createSocket: (url) => sockets[sockets.push(new FakeSocket(url)) - 1], onFrame: (d) => frames.push(d), onOpen: (url) => opened.push(url) },
  }).start();
  return { actor, sockets, frames, opened };
}

describe('connectionMachine', () => {
  it('connects, passes frames on, and closes the socket on disconnect', () => {
    const { actor, sockets, frames, opened } = start();
    actor.send({ type: 'CONNECT', url: 'ws://127.0.0.1:1/' });
    expect(actor.getSnapshot().matches({ live: 'connecting' })).toBe(true);
    sockets[0].onopen?.({});
    expect(actor.getSnapshot().matches({ live: 'open' })).toBe(true);
    expect(opened).toEqual(['ws://127.0.0.1:1/']);
    sockets[0].onmessage?.({ data: 'frame 1' });
    expect(frames).toEqual(['frame 1']);
    actor.send({ type: 'DISCONNECT' });
    expect(sockets[0].closed).toBe(true);
    expect(actor.getSnapshot().value).toBe('idle');
  });

  it('reconnects after a drop with a growing delay, and says why', () => {
    jest.useFakeTimers();
    try {
      const { actor, sockets } = start();
      actor.send({ type: 'CONNECT', url: 'ws://127.0.0.1:1/' });
      sockets[0].onopen?.({});
      sockets[0].onclose?.({ code: 1006, reason: '' });
      expect(actor.getSnapshot().value).toBe('waiting');
      expect(actor.getSnapshot().context).toMatchObject({ attempt: 1, lastError: 'connection closed (code 1006)' });
      jest.advanceTimersByTime(249);
      expect(sockets).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(sockets).toHaveLength(2);
      sockets[1].onclose?.({ code: 1006 }); // refused
      expect(actor.getSnapshot().context.attempt).toBe(2);
      jest.advanceTimersByTime(499);
      expect(sockets).toHaveLength(2);
      jest.advanceTimersByTime(1);
      sockets[2].onopen?.({});
      expect(actor.getSnapshot().context).toMatchObject({ attempt: 0, lastError: null });
      actor.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
