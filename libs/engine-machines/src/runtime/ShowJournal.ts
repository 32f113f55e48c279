import type { JournalStore } from '../journal/JournalStore.js';
import type { ResumeJournal } from '../journal/ResumeJournal.js';
import { ThrottledJournal } from '../journal/ThrottledJournal.js';
import type { EngineClock } from '../ports/EngineClock.js';
import type { Setlist } from '../setlist/setlistTypes.js';
import type { Millis } from '../units.js';
import type { SongRuntime } from './SongRuntime.js';

/** What the show is now, as the engine knows it. */
export interface ShowState {
  readonly setlist: Setlist | null;
  readonly current: SongRuntime | null;
  /** The performer wants sound (PLAY) rather than silence (PAUSE). */
  readonly playing: boolean;
}

/**
 * Look at the show at most this often (the journal itself is written at most once a second):
 * 100 ms of playback is well inside a bar, and building a snapshot ten times a second costs nothing.
 */
const LOOK_EVERY_MS: Millis = 100;

/**
 * Keeps the resume journal of one engine (issue 14): the setlist, the current song, its position
 * (frame and bar), whether it plays, every stem's mix and the loop. `observe()` (called with the
 * playback pump) takes a snapshot every {@link LOOK_EVERY_MS} and hands it to a
 * {@link ThrottledJournal} when it changed — so a position, mix or loop change is written within
 * about a second, atomically by the store, never more than once a second. Control thread.
 */
export class ShowJournal {
  private readonly journal: ThrottledJournal;
  private lastLook = Number.NEGATIVE_INFINITY;
  private lastText = '';

  constructor(
    private readonly store: JournalStore,
    private readonly clock: EngineClock,
    private readonly show: () => ShowState,
    onError: (error: unknown) => void = () => undefined,
  ) {
    this.journal = new ThrottledJournal({ store, clock, onError });
  }

  /** Journal writes started so far. */
  get writes(): number {
    return this.journal.writes;
  }

  /** Takes a snapshot when it is time, and records it if the show changed. */
  observe(force = false): void {
    const now = this.clock.now();
    if (!force && now - this.lastLook < LOOK_EVERY_MS) return;
    this.lastLook = now;
    const snapshot = journalOf(this.show());
    if (!snapshot) return;
    // savedAt changes every time: compare without it.
    const text = JSON.stringify({ ...snapshot, savedAt: '' });
    if (text === this.lastText) return;
    this.lastText = text;
    this.journal.record(snapshot);
  }

  /** Writes the latest state now (pause, quit). */
  async flush(): Promise<void> {
    this.observe(true);
    await this.journal.flush();
  }

  /** The show ended normally (the setlist's end): nothing to resume, the journal is removed. */
  async finish(): Promise<void> {
    await this.journal.flush();
    this.lastText = '';
    await this.store.remove();
  }

  async close(): Promise<void> {
    this.observe(true);
    await this.journal.close();
  }
}

/** The journal of the show now, or null when there is nothing to resume (no setlist, no song loaded). */
export function journalOf(show: ShowState): ResumeJournal | null {
  const { setlist, current } = show;
  if (!setlist || !current || !current.registered) return null;
  const frame = Math.max(0, Math.round(current.position));
  const sampleRate = current.timeline?.sampleRate;
  if (sampleRate === undefined) return null;
  const tempo = current.timeline?.tempo;
  const loop = current.loop && !current.loop.releasing ? current.loop : null;
  return {
    setlist: { source: setlist.source, name: setlist.name },
    song: current.spec.id,
    position: { frame, sampleRate, ...(tempo ? { bar: tempo.barAt(frame) } : {}) },
    playing: show.playing,
    mix: current.stems.map((stem) => ({ stem: stem.spec.id, gainDb: stem.gainDb, muted: stem.muted, solo: stem.solo })),
    ...(loop ? { loop: { start: loop.start, end: loop.end, ...(loop.section !== undefined ? { section: loop.section } : {}) } } : {}),
    savedAt: new Date().toISOString(),
  };
}
