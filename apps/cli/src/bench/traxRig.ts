import { RealtimeSink } from '@trax/engine-machines/node';
import type { Engine, EngineMetricsSnapshot, EngineSettings, Setlist, SongMetrics } from '@trax/engine-machines';
import type { ChunkLoader } from '@trax/chunk-loader';
import { skip } from 'rxjs';
import type { Subscription } from 'rxjs';
import { openPlaySession } from '../play/playSession.js';
import type { PlaySession } from '../play/playSession.js';
import { BenchTimeoutError } from './benchErrors.js';

/** The engine's output rate, and every measure's. */
export const OUTPUT_RATE = 48_000;
/** Frames per render quantum, as Web Audio and a sound card set to 128 frames. */
export const QUANTUM_FRAMES = 128;
/** How far ahead the audio thread renders (two quanta ≈ 5.3 ms at 48 kHz), like a sound card's buffer. */
export const AHEAD_FRAMES = 256;

export interface RigOptions {
  /** Folder of the Trax cache: a fresh one is a cold cache. */
  readonly cacheDir: string;
  readonly setlist: Setlist;
  readonly settings?: Partial<EngineSettings>;
  /** No audio thread: the engine's mixer runs in process for an offline `RenderSink`. */
  readonly offline?: boolean;
}

/**
 * One Trax stack as `trax play` runs it (its play session: disk cache, chunk loader with its
 * worker pool started — the app starts it when it opens —, the engine with the app's legacy
 * decoder) and a real-time sink already pulling audio like a sound card. Measures send a command
 * and read the engine's own metrics.
 *
 * @example
 * const rig = await TraxRig.start({ setlist, cacheDir: await scratch.fresh('cold') });
 * const song = await rig.playAndWaitFirstAudio(setlist.songs[0].id);
 * console.log(song.firstAudioMs);
 * await rig.close();
 */
export class TraxRig {
  private constructor(
    private readonly session: PlaySession,
    /** The audio thread (null for an offline rig). */
    readonly sink: RealtimeSink | null,
  ) {}

  static async start(options: RigOptions): Promise<TraxRig> {
    // The mixer on its own audio thread, rendering 128-frame quanta like a sound card set to 128 frames.
    const sink = options.offline ? null : await RealtimeSink.start({ sampleRate: OUTPUT_RATE, quantumFrames: QUANTUM_FRAMES, aheadFrames: AHEAD_FRAMES });
    const session = await openPlaySession({
      mixer: sink?.mixer,
      setlist: options.setlist,
      sampleRate: OUTPUT_RATE,
      cacheDir: options.cacheDir,
      cache: options.settings?.cacheEnabled ?? true,
      streaming: options.settings?.streamingEnabled ?? true,
      settings: options.settings,
    });
    return new TraxRig(session, sink);
  }

  get engine(): Engine {
    return this.session.engine;
  }

  get loader(): ChunkLoader {
    return this.session.loader;
  }

  /** The latest instance of `songId` in a metrics snapshot. */
  static song(snapshot: EngineMetricsSnapshot, songId: string): SongMetrics | undefined {
    return snapshot.songs.filter((song) => song.song === songId).at(-1);
  }

  /**
   * Resolves with the first non-undefined `check` of a metrics snapshot: the current one, then
   * each one the engine publishes (first audio, seeks landing, songs ending, twice a second of
   * output). Rejects with {@link BenchTimeoutError} naming `step`, or with what `check` throws.
   */
  waitFor<T>(step: string, timeoutMs: number, check: (snapshot: EngineMetricsSnapshot) => T | undefined): Promise<T> {
    const started = performance.now();
    return new Promise<T>((resolve, reject) => {
      let done = false;
      // A check may throw to end the wait (e.g. a seek was rejected): the promise rejects with it.
      const settle = (snapshot: EngineMetricsSnapshot): void => {
        if (done) return;
        try {
          const value = check(snapshot);
          if (value === undefined) return;
          done = true;
          resolve(value);
        } catch (error) {
          done = true;
          reject(error);
        }
        clearTimeout(timer);
        subscription?.unsubscribe();
      };
      const timer = setTimeout(() => {
        done = true;
        subscription?.unsubscribe();
        reject(new BenchTimeoutError(step, performance.now() - started));
      }, timeoutMs);
      let subscription: Subscription | undefined;
      settle(this.engine.metrics());
      if (!done) subscription = this.engine.metrics$.pipe(skip(1)).subscribe(settle);
    });
  }

  /** PLAY_SONG, then the engine's first-audio latency of that song (ms). */
  async playAndWaitFirstAudio(songId: string, timeoutMs = 30_000): Promise<SongMetrics> {
    this.engine.playSong(songId);
    return this.waitFor(`first audio of ${songId}`, timeoutMs, (m) => {
      const song = TraxRig.song(m, songId);
      return song && song.firstAudioMs !== null ? song : undefined;
    });
  }

  /** Resolves after `ms` of wall time (the sink keeps playing meanwhile). */
  static sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /**
   * Pauses playback and waits until the loader has nothing left to do, write-backs to the cache
   * included (closing the song would cancel them), so that what was played is cached — as
   * `trax play` does before it exits.
   */
  async settleWrites(timeoutMs = 120_000): Promise<void> {
    this.engine.pause();
    if (!(await this.session.settle(timeoutMs))) throw new BenchTimeoutError(`the loader's ${this.loader.pendingJobs} pending jobs (cache writes)`, timeoutMs);
  }

  async close(): Promise<void> {
    await this.session.close();
    await this.sink?.stop();
  }
}
