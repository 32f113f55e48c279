import type { ProcessIdentity } from '../ports/ProcessIdentity.js';

/**
 * A process identity for tests: a fixed pid and host, random hex from a counter (names are
 * predictable and still unique), and `isAlive` as the test says (default: only this fake pid runs).
 */
export function fakeProcessIdentity(overrides: { pid?: number; host?: string; isAlive?: (pid: number) => boolean } = {}): ProcessIdentity {
  const pid = overrides.pid ?? 4242;
  let counter = 0;
  return {
    pid,
    host: overrides.host ?? 'test-host',
    randomHex: (bytes) => (counter++).toString(16).padStart(2 * bytes, '0').slice(-2 * bytes),
    isAlive: overrides.isAlive ?? ((other) => other === pid),
  };
}
