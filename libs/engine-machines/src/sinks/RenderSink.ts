import { systemClock } from '../ports/EngineClock.js';
import type { EngineClock } from '../ports/EngineClock.js';
import type { PlaybackSource } from '../runtime/PlaybackDriver.js';
import { secondsToFrames } from '../units.js';
import type { Frames, Millis, Seconds } from '../units.js';

/** An action at an output time (seconds of rendered audio), e.g. a performer's seek. */
export interface TimedAction {
  readonly at: Seconds;
  readonly run: () => void;
}

export interface RenderOptions {
  /** Stop after this much output; default: when nothing is left to play (and no action is due). */
  readonly seconds?: Seconds;
  /** Frames per render quantum (default 128, as Web Audio): seeks land on quantum boundaries. */
  readonly quantumFrames?: Frames;
  /** Actions at output times, run in order at the first quantum at or after their time. */
  readonly script?: readonly TimedAction[];
  /** Receives each rendered quantum (the arrays are reused: copy what you keep); may return a promise to apply back-pressure (a file being written). */
  readonly onAudio?: (out: readonly Float32Array[], frames: Frames) => void | Promise<void>;
  /**
   * Give up when waiting this long (clock time) for streamed data that does not come (default
   * 30 s: with streaming, no data for that long is a bug). A song decoding whole (legacy) is
   * waited for however long it takes.
   */
  readonly stallTimeoutMs?: Millis;
  /** Time for the stall guard and the result's timings (default: the host's). */
  readonly clock?: EngineClock;
}

export interface RenderResult {
  readonly frames: Frames;
  readonly seconds: Seconds;
  /** Wall-clock time the render took. */
  readonly wallMs: Millis;
  /** Wall-clock time spent waiting for data. */
  readonly waitedMs: Millis;
}

/** The render waited longer than `stallTimeoutMs` for data. */
export class RenderStallError extends Error {
  override readonly name = 'RenderStallError';
  constructor(
    readonly outputFrame: Frames,
    readonly blocker: string,
    readonly waitedMs: Millis,
  ) {
    super(`offline render stalled at output frame ${outputFrame} for ${Math.round(waitedMs)} ms: ${blocker}`);
  }
}

/** Re-check at least this often while waiting, in case a change went unannounced. */
const RECHECK_MS = 5;

/**
 * The offline sink: pulls audio as fast as data is ready (a bounce). Before each quantum it waits
 * until the quantum can be rendered with real data — the current song primed, its audio at the play
 * position, a pending seek's target loaded, the next song ready when the current one ends — so a
 * render is deterministic: the same script gives the same samples, whatever the loader's speed. A
 * seek requested at output time T lands at its target at the first quantum at or after T, followed
 * by the crossfade. Control thread.
 *
 * @example
 * const result = await new RenderSink(engine.playback).run({
 *   script: [{ at: 0, run: () => engine.playSong('song-1') }, { at: 12.5, run: () => engine.seek(90) }],
 *   seconds: 30,
 *   onAudio: (out, frames) => wav.write(out, frames), // a WavWriter from @trax/engine-machines/node
 * });
 */
export class RenderSink {
  constructor(private readonly source: PlaybackSource) {}

  /** Waits `ms` of clock time, or less when the engine signals a change. */
  private static pause(clock: EngineClock, ms: Millis, change: Promise<void>): Promise<unknown> {
    let timer: unknown = null;
    return Promise.race([change, new Promise((resolve) => (timer = clock.setTimeout(resolve, ms)))]).finally(() => clock.clearTimeout(timer));
  }

  async run(options: RenderOptions = {}): Promise<RenderResult> {
    const source = this.source;
    const quantum = options.quantumFrames ?? 128;
    const limit = options.seconds === undefined ? Number.POSITIVE_INFINITY : secondsToFrames(options.seconds, source.sampleRate);
    const script = [...(options.script ?? [])].map((a, order) => ({ ...a, order, frame: secondsToFrames(a.at, source.sampleRate) }));
    script.sort((a, b) => a.frame - b.frame || a.order - b.order);
    const stallTimeout = options.stallTimeoutMs ?? 30_000;
    const clock = options.clock ?? systemClock;
    const out = [new Float32Array(quantum), new Float32Array(quantum)];
    const started = clock.now();
    let waitedMs = 0;
    let rendered: Frames = 0;
    let next = 0;

    const settle = async (frames: Frames) => {
      let blocker = source.blocker(frames);
      if (blocker === null) return;
      const since = clock.now();
      let patientSince = since;
      while (blocker !== null) {
        const now = clock.now();
        // A whole decode is slow by nature: only time spent waiting on anything else counts.
        if (blocker.patient) patientSince = now;
        const waited = now - patientSince;
        if (waited > stallTimeout) throw new RenderStallError(source.outputFrames, blocker.reason, waited);
        await RenderSink.pause(clock, RECHECK_MS, source.changed());
        blocker = source.blocker(frames);
      }
      waitedMs += clock.now() - since;
    };

    while (rendered < limit) {
      const frames = Math.min(quantum, limit - rendered);
      await settle(frames);
      while (next < script.length && script[next].frame <= rendered) {
        script[next++].run();
        await settle(frames);
      }
      // Resuming from an await lets pending events run (a load failing, a song switching to
      // legacy): check again with nothing in between the check and the render.
      if (source.blocker(frames) !== null) continue;
      if (options.seconds === undefined && next >= script.length && source.idle) break;
      source.render(out, frames);
      source.pump();
      rendered += frames;
      const written = options.onAudio?.(out, frames);
      if (written) await written;
    }
    return { frames: rendered, seconds: rendered / source.sampleRate, wallMs: clock.now() - started, waitedMs };
  }
}
