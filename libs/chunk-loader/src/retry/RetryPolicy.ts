import type { Millis } from '../types.js';

/** How often and how patiently a failed decode is tried again. */
export interface RetryPolicy {
  /** Tries in total, the first one included (default 3). */
  readonly attempts: number;
  /** Wait before the first retry (default 25 ms); doubles per retry. */
  readonly baseDelayMs: Millis;
  /** Upper bound of a wait (default 400 ms). */
  readonly maxDelayMs: Millis;
}

/**
 * 3 tries with 25 ms, then 50 ms between them: a transient failure (a file briefly locked, a
 * network drive hiccup) gets ~75 ms to clear, while a broken file is reported within ~0.1 s, well
 * inside the 20 s of buffer ahead of the play position.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 25, maxDelayMs: 400 };

/** The wait before retry number `retry` (1 = the first retry): exponential, capped. */
export function retryDelay(retry: number, policy: RetryPolicy): Millis {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
}
