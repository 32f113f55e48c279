import type { Frames, Millis, Seconds } from '../units.js';

/** Buffer state of one stem, summed over its buffer sets. */
export interface StemFill {
  readonly bufferedFrames: Frames;
  readonly bufferedSeconds: Seconds;
  readonly bytes: number;
  /** Quanta in which this stem was audible and had no data at the play position. */
  readonly underruns: number;
  readonly fromCache: number;
  readonly decoded: number;
  readonly loadFailures: number;
  readonly failed: boolean;
}

/** Metrics of one played (or preloaded) song instance, as JSON. */
export interface SongMetrics {
  readonly song: string;
  /** Distinguishes two plays of the same song. */
  readonly instance: number;
  readonly mode: 'streaming' | 'legacy';
  /** The song actor's state when taken. */
  readonly state: string;
  /** Play position and length (progress displays); the position moves only in the mixer. */
  readonly positionSeconds: Seconds;
  readonly durationSeconds: Seconds;
  /** PLAY_SONG accepted → first render quantum with real data for every audible stem. */
  readonly firstAudioMs: Millis | null;
  /** Per landed seek: request → first quantum from the new position. */
  readonly seekLatencyMs: readonly Millis[];
  readonly seeks: { readonly requested: number; readonly landed: number; readonly superseded: number; readonly rejected: number };
  /** Scheduled jumps: `late` ones landed after their landing frame (the target was not loaded in time). */
  readonly jumps: {
    readonly requested: number;
    readonly landed: number;
    readonly late: number;
    readonly cancelled: number;
    readonly replaced: number;
    readonly rejected: number;
  };
  /** Times the song's loops went back to their start. */
  readonly loopWraps: number;
  /** Output frames of silence between the previous song's last frame and this one's first (0 = gapless); null when not entered by a transition. */
  readonly transitionGapFrames: Frames | null;
  /** Render quanta in which an audible stem had no data (plan: should be 0). */
  readonly underruns: number;
  readonly cache: { readonly hits: number; readonly decodes: number; readonly hitRate: number | null };
  readonly bufferBytes: number;
  readonly peakBufferBytes: number;
  readonly stems: Readonly<Record<string, StemFill>>;
  /** Legacy mode: time to decode every stem whole. */
  readonly legacyDecodeMs: Millis | null;
  readonly failure: string | null;
}

/** Mutable counters behind {@link SongMetrics}, kept on the control thread. */
export class SongMetricsRecorder {
  playRequestedAt: Millis | null = null;
  firstAudioMs: Millis | null = null;
  readonly seekLatencyMs: Millis[] = [];
  readonly seeks = { requested: 0, landed: 0, superseded: 0, rejected: 0 };
  readonly jumps = { requested: 0, landed: 0, late: 0, cancelled: 0, replaced: 0, rejected: 0 };
  loopWraps = 0;
  transitionGapFrames: Frames | null = null;
  peakBufferBytes = 0;
  legacyDecodeMs: Millis | null = null;
  failure: string | null = null;

  /** Records a buffer size seen now; keeps the peak. */
  observeBufferBytes(bytes: number): void {
    if (bytes > this.peakBufferBytes) this.peakBufferBytes = bytes;
  }
}
