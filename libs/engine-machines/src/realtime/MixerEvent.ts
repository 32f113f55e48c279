import type { Frames } from '../units.js';
import type { MixSong } from './MixSong.js';

/** What the mixer tells the control thread, through a ring of records allocated up front. */
export const MixerEventKind = {
  /** A song's voice began producing audio (`outputFrame`); `id` = 1 when it followed the previous song's end, `value` = output frames it waited for data then (the transition gap). */
  Started: 1,
  /** The first quantum of `song` with real data for every audible stem, at `outputFrame`. */
  FirstAudio: 2,
  /** Seek `id` jumped to position `value` at `outputFrame`. */
  SeekLanded: 3,
  /** A fading voice of `song` went silent and released its buffers; `id` = the seek it came from, -1 for a song jump. */
  Released: 4,
  /** `song` played its last frame; the next one (if armed) continues at `outputFrame`. */
  Ended: 5,
  /** Stem `id` of `song` started missing data while audible. */
  StemStarved: 6,
  /** Stem `id` of `song` has data again (or is no longer audible). */
  StemFed: 7,
} as const;
export type MixerEventKind = (typeof MixerEventKind)[keyof typeof MixerEventKind];

/** One event record; reused, so read it inside the visitor and do not keep it. */
export class MixerEventRecord {
  kind: MixerEventKind = MixerEventKind.Started;
  song: MixSong | null = null;
  id = -1;
  outputFrame: Frames = 0;
  value = 0;
}

/**
 * Single-producer (audio thread) single-consumer (control thread) ring of event records. When it
 * is full, events are dropped and counted rather than allocated.
 */
export class MixerEventRing {
  private readonly records: MixerEventRecord[];
  private head = 0;
  private size = 0;
  /** Events lost because the control thread did not drain in time. */
  dropped = 0;

  constructor(readonly capacity = 1024) {
    this.records = Array.from({ length: capacity }, () => new MixerEventRecord());
  }

  /** Audio thread. */
  push(kind: MixerEventKind, song: MixSong | null, id: number, outputFrame: Frames, value: number): void {
    if (this.size === this.capacity) {
      this.dropped++;
      return;
    }
    const record = this.records[(this.head + this.size) % this.capacity];
    record.kind = kind;
    record.song = song;
    record.id = id;
    record.outputFrame = outputFrame;
    record.value = value;
    this.size++;
  }

  /** Control thread: visits and removes every pending event, oldest first. */
  drain(visit: (event: MixerEventRecord) => void): void {
    while (this.size > 0) {
      const record = this.records[this.head];
      this.head = (this.head + 1) % this.capacity;
      this.size--;
      visit(record);
      record.song = null;
    }
  }
}
