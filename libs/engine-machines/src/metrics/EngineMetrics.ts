import { BehaviorSubject } from 'rxjs';
import type { Observable } from 'rxjs';
import type { Frames } from '../units.js';
import type { SongMetrics } from './SongMetrics.js';

/** The engine's metrics as JSON (`trax play --metrics`). */
export interface EngineMetricsSnapshot {
  /** Engine clock time of the snapshot (ms). */
  readonly at: number;
  readonly sampleRate: number;
  /** Frames rendered so far (the output clock). */
  readonly outputFrames: Frames;
  readonly currentSong: string | null;
  /** Mixer events lost because the control thread was late (should be 0). */
  readonly droppedMixerEvents: number;
  /** Every song instance loaded so far, oldest first (a song played twice appears twice). */
  readonly songs: readonly SongMetrics[];
}

/**
 * Publishes metrics snapshots: `metrics$` emits the latest (at once to a new subscriber, then on
 * every notable change: first audio, a seek landing, a song ending, and about twice a second of
 * output while playing).
 */
export class EngineMetrics {
  private readonly subject: BehaviorSubject<EngineMetricsSnapshot>;
  readonly metrics$: Observable<EngineMetricsSnapshot>;

  constructor(
    private readonly take: () => EngineMetricsSnapshot,
  ) {
    this.subject = new BehaviorSubject(take());
    this.metrics$ = this.subject.asObservable();
  }

  /** Takes a fresh snapshot and emits it. */
  publish(): EngineMetricsSnapshot {
    const snapshot = this.take();
    this.subject.next(snapshot);
    return snapshot;
  }

  /** The latest snapshot, fresh. */
  snapshot(): EngineMetricsSnapshot {
    return this.publish();
  }

  complete(): void {
    this.subject.complete();
  }
}
