import { describe, expect, it } from '@jest/globals';
import { reconnectDelayMs } from './backoff.js';
import { checkEndpoint, isLoopbackHost } from './endpoint.js';

describe('checkEndpoint', () => {
  it.each([
    ['ws://127.0.0.1:4321', 'ws://127.0.0.1:4321/'],
    ['127.0.0.1:4321', 'ws://127.0.0.1:4321/'],
    ['ws://localhost:80/x', 'ws://localhost/x'],
    ['ws://[::1]:9000', 'ws://[::1]:9000/'],
    ['wss://127.8.9.10:1', 'wss://127.8.9.10:1/'],
  ])('accepts the loopback endpoint %s', (input, url) => {
    expect(checkEndpoint(input)).toEqual({ ok: true, url, loopback: true });
  });

  it.each(['ws://192.168.1.20:4321', 'ws://example.com:80', 'ws://127.0.0.1.evil.test:1', 'ws://0.0.0.0:1', 'ws://128.0.0.1:1'])('asks before connecting to %s', (input) => {
    expect(checkEndpoint(input)).toMatchObject({ ok: false, needsConfirmation: true });
  });

  it.each([
    ['http://127.0.0.1:1', /not a WebSocket URL/],
    ['ws://user:pw@127.0.0.1:1', /credentials/],
    ['ws://', /not a URL/],
  ])('refuses %s', (input, reason) => {
    const check = checkEndpoint(input);
    expect(check).toMatchObject({ ok: false, needsConfirmation: false });
    expect(check.ok ? '' : check.reason).toMatch(reason);
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.255.255.254', 'LOCALHOST', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true]);
    expect(['127.0.0.256', '10.0.0.1', 'localhost.example', '::'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 250 ms to at most 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => reconnectDelayMs(n))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });
});
