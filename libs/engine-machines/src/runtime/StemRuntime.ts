import type { StemBuffer } from '../buffers/StemBuffer.js';
import type { StemInfo, StemRef } from '../ports/ChunkSource.js';
import type { StemSpec } from '../setlist/setlistTypes.js';
import type { Decibels } from '../units.js';

/** Counters of one stem's loading, for metrics. */
export interface StemLoadCounters {
  fromCache: number;
  decoded: number;
  bytesLoaded: number;
  failures: number;
}

/**
 * One stem of a loaded song on the control thread: what the loader said about it, its buffer and
 * the performer's mix settings. Actors refer to it; it is never put in an inspection snapshot
 * whole (see `summarize`).
 */
export class StemRuntime {
  info: StemInfo | null = null;
  /** Streaming: the stem's window of audio (null before the song is opened, and in legacy mode). */
  buffer: StemBuffer | null = null;
  gainDb: Decibels;
  muted = false;
  solo = false;
  /** Streaming gave up on this stem (it plays silent until the song falls back). */
  failed = false;
  readonly counters: StemLoadCounters = { fromCache: 0, decoded: 0, bytesLoaded: 0, failures: 0 };

  constructor(
    readonly index: number,
    readonly spec: StemSpec,
    readonly ref: StemRef,
  ) {
    this.gainDb = spec.gainDb;
  }

  /** The stem loader's XState system id, readable in devtools: `song:<id>/stem:<id>`. */
  get systemId(): string {
    return `song:${this.ref.song}/stem:${this.ref.stem}`;
  }

  /** For inspection snapshots: a few numbers, never audio. */
  summary(): Record<string, unknown> {
    return {
      stem: this.ref.stem,
      channels: this.info?.channels,
      totalFrames: this.info?.totalFrames,
      heldFrames: this.buffer?.heldFrames ?? 0,
      gainDb: this.gainDb,
      muted: this.muted,
      solo: this.solo,
      failed: this.failed,
      ...this.counters,
    };
  }

  /** Bytes of PCM memory the stem's buffer holds. */
  get bufferBytes(): number {
    return this.buffer?.bytes ?? 0;
  }
}
