import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RETRY_POLICY, retryDelay } from './RetryPolicy.js';

describe('retryDelay', () => {
  it('doubles from the base delay and stops at the cap', () => {
    const policy = { attempts: 10, baseDelayMs: 25, maxDelayMs: 400 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(n, policy))).toEqual([25, 50, 100, 200, 400, 400, 400]);
  });

  it('by default gives up after 3 attempts with 25 + 50 ms of waiting', () => {
    expect(DEFAULT_RETRY_POLICY.attempts).toBe(3);
    expect(retryDelay(1, DEFAULT_RETRY_POLICY) + retryDelay(2, DEFAULT_RETRY_POLICY)).toBe(75);
  });
});
