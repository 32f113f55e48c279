/**
 * A wake-up call for whoever waits for the engine to change (the offline sink waiting for data):
 * `notify()` after data arrives or a state changes; `next()` resolves at the next notify.
 * Control thread.
 */
export class ChangeSignal {
  private waiters: (() => void)[] = [];

  notify(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
