import { systemClock } from '../ports/EngineClock.js';
import type { EngineClock } from '../ports/EngineClock.js';
import type { PlaybackSource } from '../runtime/PlaybackDriver.js';
import type { Frames, Millis } from '../units.js';

export interface RealtimeSinkOptions {
  /** Frames per quantum (default 128, as Web Audio and many sound cards). */
  readonly quantumFrames?: Frames;
  /** Time source and timers (default: the host's); pass a SimulatedClock in tests. */
  readonly clock?: EngineClock;
  /**
   * How often the sink wakes to pull the quanta that are due (default 10 ms: a sound card's
   * callback also comes in bursts, NOTES measured 3–4 quanta every ~10.7 ms).
   */
  readonly tickMs?: Millis;
  /** Quanta rendered at most per wake-up; beyond, the sink is late and skips (counted in `skippedQuanta`). */
  readonly maxCatchUpQuanta?: number;
  /** Receives each quantum (arrays reused). */
  readonly onAudio?: (out: readonly Float32Array[], frames: Frames) => void;
}

/**
 * A sink on a real-time schedule, like a sound card: one quantum per `quantumFrames / sampleRate`
 * of clock time, pulled whether or not data is there — it never waits; missing data plays as
 * silence and counts as an underrun in the engine. Control thread (Node timers).
 *
 * @example
 * const sink = new RealtimeSink(engine.playback);
 * sink.start();
 * engine.playSong('song-1');
 * // later
 * sink.stop();
 */
export class RealtimeSink {
  /** Quanta rendered. */
  quanta = 0;
  /** Quanta the sink was too late to render (the process was busy). */
  skippedQuanta = 0;
  private readonly quantum: Frames;
  private readonly clock: EngineClock;
  private readonly out: Float32Array[];
  private timer: unknown = null;
  private startedAt = 0;
  private due = 0;

  constructor(
    private readonly source: PlaybackSource,
    private readonly options: RealtimeSinkOptions = {},
  ) {
    this.quantum = options.quantumFrames ?? 128;
    this.clock = options.clock ?? systemClock;
    this.out = [new Float32Array(this.quantum), new Float32Array(this.quantum)];
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Clock time (ms) at which the sink started. */
  get startTime(): Millis {
    return this.startedAt;
  }

  start(): void {
    if (this.timer !== null) return;
    this.startedAt = this.clock.now();
    this.due = 0;
    this.schedule();
  }

  stop(): void {
    if (this.timer === null) return;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => this.tick(), this.options.tickMs ?? 10);
  }

  private tick(): void {
    const elapsed = this.clock.now() - this.startedAt;
    const target = Math.floor((elapsed / 1000) * (this.source.sampleRate / this.quantum));
    const maxCatchUp = this.options.maxCatchUpQuanta ?? 64;
    if (target - this.due > maxCatchUp) {
      this.skippedQuanta += target - this.due - maxCatchUp;
      this.due = target - maxCatchUp;
    }
    while (this.due < target) {
      this.source.render(this.out, this.quantum);
      this.source.afterQuantum();
      this.options.onAudio?.(this.out, this.quantum);
      this.due++;
      this.quanta++;
    }
    if (this.timer !== null) this.schedule();
  }
}
