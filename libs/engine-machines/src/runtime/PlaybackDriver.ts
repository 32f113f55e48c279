import type { AnyActorRef } from 'xstate';
import type { EngineActor, MixerNotice } from '../machines/engineMachine.js';
import { runtimeOf } from '../machines/engineMachine.js';
import { MixerEventKind } from '../realtime/MixerEvent.js';
import type { MixerEventRecord } from '../realtime/MixerEvent.js';
import type { Frames } from '../units.js';
import type { EngineEnv } from './EngineEnv.js';
import type { SongRuntime } from './SongRuntime.js';
import { chunkOf } from './fillPlan.js';

/** Publish metrics about twice a second of output while playing. */
const PUBLISH_EVERY_SECONDS = 0.5;

/**
 * What an audio sink drives: `render` (audio thread: the mixer) and `afterQuantum` (control thread:
 * turns the mixer's events and play position into actor events), plus `blocker` for offline sinks
 * that wait for data instead of playing silence.
 */
export interface PlaybackSource {
  readonly sampleRate: number;
  /** Audio thread: mix `frames` frames into `out` (stereo). */
  render(out: Float32Array[], frames: Frames): void;
  /** Control thread: call after each render. */
  afterQuantum(): void;
  /** Control thread: why the next `frames` cannot yet be rendered with real data (null = they can). */
  blocker(frames: Frames): string | null;
  /** Control thread: resolves at the next change that may lift a blocker (data arrived, state changed). */
  changed(): Promise<void>;
  /** Control thread: frames rendered so far. */
  readonly outputFrames: Frames;
  /** Control thread: nothing left to play (the setlist ended or was stopped). */
  readonly idle: boolean;
}

/**
 * Connects the real-time mixer to the actors. After each quantum it drains the mixer's events
 * (song started/ended/released, seek landed, first audio, stem starved/fed) and sends them to the
 * engine, song or stem loader actors; it tells a song when its play position enters another chunk
 * (the stem loaders' refill rule) and the engine when the song passes the preload point.
 * Control thread, except `render`.
 */
export class PlaybackDriver implements PlaybackSource {
  private engine: EngineActor | null = null;
  private readonly lastChunk = new Map<number, number>();
  private readonly preloadSent = new Set<number>();
  private lastPublish: Frames = 0;

  constructor(private readonly env: EngineEnv) {}

  get sampleRate(): number {
    return this.env.sampleRate;
  }

  get outputFrames(): Frames {
    return this.env.mixer.outputFrames;
  }

  get idle(): boolean {
    const context = this.engine?.getSnapshot().context;
    if (!context) return true;
    // A failed current song plays nothing and loads nothing: an offline render must not wait on it.
    const current = context.current === null || runtimeOf(context.current).state === 'failed';
    return current && context.next === null && context.retiring.length === 0 && this.env.mixer.currentSong === null;
  }

  attach(engine: EngineActor): void {
    this.engine = engine;
  }

  render(out: Float32Array[], frames: Frames): void {
    this.env.mixer.render(out, frames);
  }

  afterQuantum(): void {
    const env = this.env;
    env.mixer.drainEvents((event) => this.route(event));
    const mix = env.mixer.currentSong;
    if (mix) {
      const runtime = env.songs.get(mix.id);
      if (runtime) this.followPosition(runtime, mix.position);
    }
    if (env.mixer.outputFrames - this.lastPublish >= PUBLISH_EVERY_SECONDS * env.sampleRate) {
      this.lastPublish = env.mixer.outputFrames;
      for (const runtime of env.songs.values()) runtime.metrics.observeBufferBytes(runtime.bufferBytes());
      env.metrics.publish();
    }
  }

  changed(): Promise<void> {
    return this.env.changes.next();
  }

  blocker(frames: Frames): string | null {
    const context = this.engine?.getSnapshot().context;
    if (!context) return 'the engine is not started';
    for (const runtime of this.env.songs.values()) {
      if (runtime.seekLoading) return `${runtime.spec.id}: a seek is loading its target`;
    }
    const current = context.current;
    if (!current || !context.wantsPlay) return null;
    const runtime = runtimeOf(current);
    if (['idle', 'opening', 'priming', 'preloading', 'legacy'].includes(runtime.state)) return `${runtime.spec.id} is loading (${runtime.state})`;
    if (runtime.state !== 'playing' || !runtime.mix) return null;
    const position = runtime.mix.position;
    if (position < runtime.totalFrames && !runtime.holds(runtime.activeSet, position, frames)) {
      return `${runtime.spec.id}: waiting for audio at frame ${position}`;
    }
    const following = context.setlist?.songs[context.currentIndex + 1];
    if (this.env.settings.autoAdvance && following && runtime.totalFrames - position <= frames) {
      const next = context.next;
      if (next) {
        const nextRuntime = runtimeOf(next);
        if (['idle', 'opening', 'priming', 'preloading', 'legacy'].includes(nextRuntime.state)) return `${nextRuntime.spec.id} (next) is loading (${nextRuntime.state})`;
        if (nextRuntime.state === 'ready' && !nextRuntime.holds(nextRuntime.activeSet, 0, frames)) return `${nextRuntime.spec.id} (next): waiting for audio`;
      }
    }
    return null;
  }

  /** Chunk entries (refill rule) and the preload point of the song being played. */
  private followPosition(runtime: SongRuntime, position: Frames): void {
    const chunk = chunkOf(position, runtime.chunkFrames);
    if (this.lastChunk.get(runtime.instance) !== chunk) {
      this.lastChunk.set(runtime.instance, chunk);
      runtime.actor?.send({ type: 'MIXER.CHUNK_ENTERED', position });
    }
    if (!this.preloadSent.has(runtime.instance) && position >= this.env.settings.preloadAtFraction * runtime.totalFrames) {
      this.preloadSent.add(runtime.instance);
      this.notify({ type: 'MIXER.PRELOAD_POINT', instance: runtime.instance });
    }
  }

  private notify(notice: MixerNotice): void {
    this.engine?.send(notice);
  }

  private route(event: MixerEventRecord): void {
    const env = this.env;
    const mix = event.song;
    if (!mix) return;
    const runtime = env.songs.get(mix.id);
    switch (event.kind) {
      case MixerEventKind.Started:
        this.lastChunk.delete(mix.id);
        this.notify({ type: 'MIXER.SONG_STARTED', instance: mix.id, gapFrames: event.value, transition: event.id === 1 });
        break;
      case MixerEventKind.FirstAudio:
        if (runtime && runtime.metrics.playRequestedAt !== null && runtime.metrics.firstAudioMs === null) {
          runtime.metrics.firstAudioMs = env.clock.now() - runtime.metrics.playRequestedAt;
          env.logger.info(`Song ${runtime.spec.id}: first audio after ${runtime.metrics.firstAudioMs.toFixed(0)} ms (${runtime.stems.length} stems, ${runtime.mode})`);
          env.metrics.publish();
        }
        break;
      case MixerEventKind.SeekLanded:
        runtime?.actor?.send({ type: 'MIXER.SEEK_LANDED', seekId: event.id, position: event.value });
        this.lastChunk.delete(mix.id);
        env.metrics.publish();
        break;
      case MixerEventKind.Released:
        if (event.id >= 0) runtime?.actor?.send({ type: 'MIXER.RELEASED', seekId: event.id, set: event.value });
        else this.notify({ type: 'MIXER.SONG_RELEASED', instance: mix.id });
        break;
      case MixerEventKind.Ended:
        this.notify({ type: 'MIXER.SONG_ENDED', instance: mix.id });
        env.metrics.publish();
        break;
      case MixerEventKind.StemStarved:
      case MixerEventKind.StemFed: {
        const stem = runtime?.stems[event.id];
        env.logger.trace?.(
          `Mixer: ${mix.songId}/${stem?.spec.id ?? event.id} ${event.kind === MixerEventKind.StemStarved ? `starved (${event.value} frames missing)` : 'fed again'} at output frame ${event.outputFrame}`,
        );
        const loaders = (runtime?.actor?.getSnapshot() as { context?: { stemLoaders?: readonly AnyActorRef[] } } | undefined)?.context?.stemLoaders;
        loaders?.[event.id]?.send({ type: event.kind === MixerEventKind.StemStarved ? 'STEM.STARVED' : 'STEM.FED' });
        break;
      }
    }
  }
}
