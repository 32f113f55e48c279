/** Reconnect delays: 250 ms doubling to 5 s — quick after a restart of `trax play`, gentle when nothing listens. */
export function reconnectDelayMs(attempt: number, firstMs = 250, maxMs = 5_000): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, attempt - 1));
}
