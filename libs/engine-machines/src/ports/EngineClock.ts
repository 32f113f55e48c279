import type { Millis } from '../units.js';

/**
 * Port: time. Also XState's `Clock` (setTimeout/clearTimeout), so the same clock drives the
 * machines' delayed transitions; tests pass XState's `SimulatedClock` (it has `now()` and
 * `increment(ms)`) and never sleep.
 */
export interface EngineClock {
  now(): Millis;
  setTimeout(fn: (...args: unknown[]) => void, timeout: Millis): unknown;
  clearTimeout(id: unknown): void;
}

/** The default: `performance.now()` and the host's timers. */
export const systemClock: EngineClock = {
  now: () => performance.now(),
  setTimeout: (fn, timeout) => setTimeout(fn, timeout),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};
