import type { EngineClock } from '../ports/EngineClock.js';
import { systemClock } from '../ports/EngineClock.js';
import type { Millis } from '../units.js';
import type { JournalStore } from './JournalStore.js';
import { serializeResumeJournal, type ResumeJournal } from './ResumeJournal.js';

/** At most one journal write a second (issue 14): resuming within a bar needs no more. */
export const JOURNAL_INTERVAL_MS: Millis = 1000;

export interface ThrottledJournalOptions {
  readonly store: JournalStore;
  readonly clock?: EngineClock;
  readonly intervalMs?: Millis;
  /** A failed write (disk full…): the next record tries again. Default: ignored. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Writes the latest journal to its store at most once per `intervalMs` (measured between write
 * starts), never two writes at once, and always the newest record: records that arrive in
 * between replace each other and the last one is written when the interval is up. Call from the
 * control thread; `record` never blocks or throws.
 *
 * @example
 * const journal = new ThrottledJournal({ store: nodeJournalStore(file) });
 * engine.metrics$.subscribe(() => journal.record(snapshotOfTheShow()));
 * await journal.close();   // writes the last record
 */
export class ThrottledJournal {
  private readonly store: JournalStore;
  private readonly clock: EngineClock;
  private readonly intervalMs: Millis;
  private readonly onError: (error: unknown) => void;
  private pending: string | undefined;
  private lastWriteAt = -Infinity;
  private inFlight: Promise<void> | undefined;
  private timer: unknown;
  private closed = false;
  private written = 0;

  constructor(options: ThrottledJournalOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? JOURNAL_INTERVAL_MS;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Writes started so far. */
  get writes(): number {
    return this.written;
  }

  /** Takes the newest state of the show; written now if the interval is up, else when it is. */
  record(journal: ResumeJournal): void {
    if (this.closed) return;
    this.pending = serializeResumeJournal(journal);
    this.schedule();
  }

  /** Writes the newest record now, whatever the interval (on pause, before quitting). */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight; // its completion may start the next write
    this.cancelTimer();
    if (this.pending !== undefined) this.startWrite();
    await this.inFlight;
  }

  /** Flushes, then ignores further records. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    if (this.inFlight || this.timer !== undefined || this.pending === undefined) return;
    const wait = this.lastWriteAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.startWrite();
    } else {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
    }
  }

  private startWrite(): void {
    const text = this.pending as string;
    this.pending = undefined;
    this.lastWriteAt = this.clock.now();
    this.written++;
    this.inFlight = this.store
      .write(text)
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.inFlight = undefined;
        if (!this.closed) this.schedule();
      });
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
