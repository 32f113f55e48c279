import type { JournalStore } from '../journal/JournalStore.js';

/**
 * A {@link JournalStore} in memory: keeps every text written, in order. A write can be held open
 * (`holdWrites`) until `release()`, to test what happens while one is in flight; `failNext` makes
 * the next write reject. With a `now` function, `writtenAt` holds when each write started.
 */
export class MemoryJournalStore implements JournalStore {
  readonly name = 'memory:resume.json';
  readonly written: string[] = [];
  readonly writtenAt: number[] = [];
  text: string | undefined;
  holdWrites = false;
  private held: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(private readonly now?: () => number) {}

  read(): Promise<string | undefined> {
    return Promise.resolve(this.text);
  }

  async write(text: string): Promise<void> {
    if (this.now) this.writtenAt.push(this.now());
    if (this.holdWrites) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
    this.written.push(text);
    this.text = text;
  }

  remove(): Promise<void> {
    this.text = undefined;
    return Promise.resolve();
  }

  /** Writes waiting on `holdWrites`. */
  get heldWrites(): number {
    return this.held.length;
  }

  /** Lets the held writes finish. */
  release(): void {
    this.holdWrites = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  failNext(error: Error): void {
    this.failure = error;
  }
}
