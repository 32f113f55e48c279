import type { EngineActor, MixerNotice } from '../machines/engineMachine.js';
import { runtimeOf } from '../machines/engineMachine.js';
import { InProcessMixer } from '../mixer/InProcessMixer.js';
import { MixerEventKind } from '../realtime/MixerEvent.js';
import type { MixerEvent } from '../realtime/MixerEvent.js';
import type { Frames, Millis } from '../units.js';
import type { EngineEnv } from './EngineEnv.js';
import type { SongRuntime } from './SongRuntime.js';
import { chunkOf } from './fillPlan.js';
import { overlapFrames } from './handOver.js';

/** Publish metrics about twice a second of output while playing. */
const PUBLISH_EVERY_SECONDS = 0.5;
/** Song states in which a song is still loading (an offline render waits for it). */
const LOADING = ['idle', 'opening', 'priming', 'preloading', 'legacy'];

/** Why the next quantum cannot yet be rendered with real data. */
export interface Blocker {
  readonly reason: string;
  /** Waiting is expected to take long (a song decoding whole): an offline render waits however long it takes. */
  readonly patient: boolean;
}

/**
 * What an audio sink drives. An offline sink (`RenderSink`) calls `render` then `pump` for each
 * quantum and waits on `blocker`/`changed` for data instead of playing silence; with a mixer on
 * its own thread the engine pumps by itself and only the getters are for sinks.
 */
export interface PlaybackSource {
  readonly sampleRate: number;
  /** Offline only (the mixer on this thread): mix `frames` frames into `out` (stereo). */
  render(out: Float32Array[], frames: Frames): void;
  /** Control thread: turns the mixer's events and play position into actor events (after each offline quantum). */
  pump(): void;
  /** Control thread: why the next `frames` cannot yet be rendered with real data (null = they can). */
  blocker(frames: Frames): Blocker | null;
  /** Control thread: resolves at the next change that may lift a blocker (data arrived, state changed). */
  changed(): Promise<void>;
  /** Control thread: frames rendered so far. */
  readonly outputFrames: Frames;
  /** Control thread: nothing left to play (the setlist ended or was stopped). */
  readonly idle: boolean;
}

/**
 * Connects the real-time mixer to the actors, on the control thread. Each `pump` drains the
 * mixer's events (song started/ended/released, seek landed, first audio, stem starved/fed) and
 * sends them to the engine or the song they name; it tells a song when its play position enters
 * another chunk (the stem loaders' refill rule) and the engine when the song passes the preload
 * point. It reads only what the mixer publishes (status blocks and events), never its objects.
 */
export class PlaybackDriver implements PlaybackSource {
  private engine: EngineActor | null = null;
  private readonly lastChunk = new Map<number, number>();
  private readonly preloadSent = new Set<number>();
  private lastPublish: Frames = 0;

  constructor(
    private readonly env: EngineEnv,
    /** Called after each pump (the resume journal looks at the show). */
    private readonly afterPump?: () => void,
  ) {}

  get sampleRate(): number {
    return this.env.sampleRate;
  }

  get outputFrames(): Frames {
    return this.env.mixer.status().outputFrames;
  }

  get idle(): boolean {
    const context = this.engine?.getSnapshot().context;
    if (!context) return true;
    // Nothing wanted (songs may be prepared meanwhile), or a failed current song that plays and
    // loads nothing: an offline render must not wait on it.
    const quiet = !context.wantsPlay || context.current === null || runtimeOf(context.current).state === 'failed';
    return quiet && context.retiring.length === 0 && this.env.mixer.status().currentSong === null;
  }

  attach(engine: EngineActor): void {
    this.engine = engine;
  }

  render(out: Float32Array[], frames: Frames): void {
    const mixer = this.env.mixer;
    if (!(mixer instanceof InProcessMixer)) throw new Error('render() needs the mixer on this thread (createEngine without a `mixer`, for an offline RenderSink)');
    mixer.render(out, frames);
  }

  pump(): void {
    const env = this.env;
    env.mixer.drainEvents((event) => this.route(event));
    const status = env.mixer.status();
    const current = status.currentSong === null ? undefined : env.songs.get(status.currentSong);
    if (current?.started) this.followPosition(current, current.position);
    // A song fading out under the next one (a crossfade transition) still refills as it plays on.
    const fading = status.fadingSong === null ? undefined : env.songs.get(status.fadingSong);
    if (fading?.crossfadingOut && fading !== current) this.followPosition(fading, fading.position);
    if (status.outputFrames - this.lastPublish >= PUBLISH_EVERY_SECONDS * env.sampleRate) {
      this.lastPublish = status.outputFrames;
      for (const runtime of env.songs.values()) runtime.metrics.observeBufferBytes(runtime.bufferBytes());
      env.metrics.publish();
    }
    this.afterPump?.();
  }

  changed(): Promise<void> {
    return this.env.changes.next();
  }

  blocker(frames: Frames): Blocker | null {
    const context = this.engine?.getSnapshot().context;
    if (!context) return { reason: 'the engine is not started', patient: false };
    for (const runtime of this.env.songs.values()) {
      if (runtime.seekLoading) return { reason: `${runtime.spec.id}: a seek is loading its target`, patient: false };
    }
    const current = context.current;
    if (!current || !context.wantsPlay) return null;
    const loading = (runtime: SongRuntime, label: string): Blocker | null => {
      const state = runtime.state;
      return LOADING.includes(state) ? { reason: `${runtime.spec.id}${label} is loading (${state})`, patient: state === 'legacy' } : null;
    };
    const runtime = runtimeOf(current);
    const blocked = loading(runtime, '');
    if (blocked) return blocked;
    if (runtime.state !== 'playing' || !runtime.registered) return null;
    // A seek handed to the mixer lands at the next quantum its target holds: that is where it plays
    // from. Otherwise the next frames along the playback path (across a jump's landing, a loop's
    // wrap) and, during a count-in from the click stem, the count-in's.
    const position = runtime.seekLanding ?? runtime.position;
    if (!runtime.holdsAhead(frames)) return { reason: `${runtime.spec.id}: waiting for audio at frame ${position}`, patient: false };
    const fading = this.env.mixer.status().fadingSong;
    const fadingRuntime = fading === null ? undefined : this.env.songs.get(fading);
    if (fadingRuntime?.crossfadingOut && fadingRuntime !== runtime && fadingRuntime.registered && !fadingRuntime.holds(fadingRuntime.position, frames)) {
      return { reason: `${fadingRuntime.spec.id} (crossfading out): waiting for audio at frame ${fadingRuntime.position}`, patient: false };
    }
    const following = context.setlist?.songs[context.currentIndex + 1];
    // The next song is needed when this one reaches its end, or the start of its crossfade — unless a loop will wrap first.
    const handOverAt = runtime.totalFrames - overlapFrames(runtime, this.env.sampleRate);
    const heading = runtime.wrappingLoop === null || position > runtime.wrappingLoop.end;
    const continues = this.env.settings.autoAdvance && runtime.spec.transition?.kind !== 'stop';
    if (continues && following && heading && handOverAt - position <= frames && context.next) {
      const next = runtimeOf(context.next);
      const nextBlocked = loading(next, ' (next)');
      if (nextBlocked) return nextBlocked;
      if (next.state === 'ready' && !next.holds(0, frames)) return { reason: `${next.spec.id} (next): waiting for audio`, patient: false };
    }
    return null;
  }

  /**
   * The engine-clock time at which the mixer rendered `outputFrame`. A free-running mixer renders
   * in real time, so it is the time now less the output played since; an offline one is drained
   * right after the quantum.
   */
  private timeOf(outputFrame: Frames): Millis {
    const now = this.env.clock.now();
    if (!this.env.mixer.freeRunning) return now;
    const behind = this.env.mixer.status().outputFrames - outputFrame;
    return now - Math.max(0, behind) * (1000 / this.env.sampleRate);
  }

  /** Chunk entries (refill rule) and the preload point of the song being played. */
  private followPosition(runtime: SongRuntime, position: Frames): void {
    const chunk = chunkOf(position, runtime.chunkFrames);
    if (this.lastChunk.get(runtime.instance) !== chunk) {
      this.lastChunk.set(runtime.instance, chunk);
      runtime.actor?.send({ type: 'MIXER.CHUNK_ENTERED', position });
    }
    if (!this.preloadSent.has(runtime.instance) && position >= this.preloadFrame(runtime)) {
      this.preloadSent.add(runtime.instance);
      this.notify({ type: 'MIXER.PRELOAD_POINT', instance: runtime.instance });
    }
  }

  /**
   * Where the next song starts preloading: at `preloadAtFraction` of this one — earlier when this
   * one crossfades into it, so the next is primed (and armed) twice the overlap before the overlap.
   */
  private preloadFrame(runtime: SongRuntime): Frames {
    const overlap = overlapFrames(runtime, this.env.sampleRate);
    return Math.max(0, Math.min(this.env.settings.preloadAtFraction * runtime.totalFrames, runtime.totalFrames - 2 * overlap));
  }

  private notify(notice: MixerNotice): void {
    this.engine?.send(notice);
  }

  private route(event: MixerEvent): void {
    const env = this.env;
    const runtime = env.songs.get(event.song);
    const songActor = runtime?.actor;
    switch (event.kind) {
      case MixerEventKind.Started:
        if (runtime) runtime.started = true;
        this.lastChunk.delete(event.song);
        this.notify({ type: 'MIXER.SONG_STARTED', instance: event.song, gapFrames: event.value, transition: event.id === 1 });
        break;
      case MixerEventKind.FirstAudio:
        if (runtime && runtime.metrics.playRequestedAt !== null && runtime.metrics.firstAudioMs === null) {
          runtime.metrics.firstAudioMs = Math.max(0, this.timeOf(event.outputFrame) - runtime.metrics.playRequestedAt);
          env.logger.info(`Song ${runtime.spec.id}: first audio after ${runtime.metrics.firstAudioMs.toFixed(0)} ms (${runtime.stems.length} stems, ${runtime.mode})`);
          env.metrics.publish();
        }
        break;
      case MixerEventKind.SeekLanded:
        songActor?.send({ type: 'MIXER.SEEK_LANDED', seekId: event.id, position: event.value, left: event.detail < 0 ? null : event.detail, at: this.timeOf(event.outputFrame) });
        this.lastChunk.delete(event.song);
        env.metrics.publish();
        break;
      case MixerEventKind.Released:
        if (event.id >= 0) songActor?.send({ type: 'MIXER.RELEASED', seekId: event.id });
        else this.notify({ type: 'MIXER.SONG_RELEASED', instance: event.song });
        break;
      case MixerEventKind.Ended:
        if (runtime && event.id === 1) runtime.crossfadingOut = true;
        this.notify({ type: 'MIXER.SONG_ENDED', instance: event.song, fading: event.id === 1 });
        env.metrics.publish();
        break;
      case MixerEventKind.JumpMissed:
        songActor?.send({ type: 'MIXER.JUMP_MISSED', seekId: event.id });
        break;
      case MixerEventKind.LoopWrapped:
        songActor?.send({ type: 'MIXER.LOOP_WRAPPED', loopId: event.id, wraps: event.value });
        break;
      case MixerEventKind.LoopReleased:
        songActor?.send({ type: 'MIXER.LOOP_RELEASED', loopId: event.id });
        break;
      case MixerEventKind.StemStarved:
      case MixerEventKind.StemFed: {
        const starved = event.kind === MixerEventKind.StemStarved;
        env.logger.trace?.(
          `Mixer: ${runtime?.spec.id ?? event.song}/${runtime?.stems[event.id]?.spec.id ?? event.id} ${starved ? `starved (${event.value} frames missing)` : 'fed again'} at output frame ${event.outputFrame}`,
        );
        songActor?.send({ type: starved ? 'MIXER.STEM_STARVED' : 'MIXER.STEM_FED', stem: event.id });
        break;
      }
    }
  }
}
