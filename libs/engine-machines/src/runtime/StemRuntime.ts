import type { StemInfo, StemRef } from '../ports/ChunkSource.js';
import type { StemSpec } from '../setlist/setlistTypes.js';
import type { StemBuffer } from '../realtime/StemBuffer.js';
import type { Decibels } from '../units.js';

/** Counters of one stem's loading, for metrics. */
export interface StemLoadCounters {
  fromCache: number;
  decoded: number;
  bytesLoaded: number;
  failures: number;
}

/**
 * One stem of a loaded song on the control thread: what the loader said about it, its buffers
 * (one per buffer set) and the performer's mix settings. Actors refer to it; it is never put in an
 * inspection snapshot whole (see `summarizeSnapshot`).
 */
export class StemRuntime {
  info: StemInfo | null = null;
  buffers: StemBuffer[] = [];
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
      heldFrames: this.buffers.map((b) => b.heldFrames),
      gainDb: this.gainDb,
      muted: this.muted,
      solo: this.solo,
      failed: this.failed,
      ...this.counters,
    };
  }

  /** Bytes of PCM in all buffers. */
  get bufferBytes(): number {
    let bytes = 0;
    for (const buffer of this.buffers) bytes += buffer.bytes;
    return bytes;
  }
}
