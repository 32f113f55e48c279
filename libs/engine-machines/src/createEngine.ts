import { createActor } from 'xstate';
import type { InspectionEvent } from 'xstate';
import type { Observable } from 'rxjs';
import { summarizingInspector } from './inspect/summarize.js';
import { engineMachine, runtimeOf } from './machines/engineMachine.js';
import type { EngineActor, EngineCommand } from './machines/engineMachine.js';
import type { EngineMetricsSnapshot } from './metrics/EngineMetrics.js';
import type { SongMetrics } from './metrics/SongMetrics.js';
import type { ChunkSource } from './ports/ChunkSource.js';
import { systemClock } from './ports/EngineClock.js';
import type { EngineClock } from './ports/EngineClock.js';
import { silentLogger } from './ports/EngineLogger.js';
import type { EngineLogger } from './ports/EngineLogger.js';
import type { WholeStemDecoder } from './ports/WholeStemDecoder.js';
import type { StemBufferFactory } from './buffers/StemBuffer.js';
import { StreamingStemBuffer } from './buffers/StreamingStemBuffer.js';
import { InProcessMixer } from './mixer/InProcessMixer.js';
import type { MixerPort } from './mixer/MixerPort.js';
import { EngineEnvironment } from './runtime/EngineEnvironment.js';
import { PlaybackDriver } from './runtime/PlaybackDriver.js';
import type { PlaybackSource } from './runtime/PlaybackDriver.js';
import type { SongRuntime } from './runtime/SongRuntime.js';
import { DEFAULT_SETTINGS, mergeSettings } from './settings/EngineSettings.js';
import type { EngineSettings } from './settings/EngineSettings.js';
import type { Setlist } from './setlist/setlistTypes.js';
import type { Decibels, Seconds } from './units.js';

export interface CreateEngineOptions {
  /** Where chunks come from: a `ChunkLoader` from `@trax/chunk-loader` (`ChunkLoader.start`) or a fake. */
  readonly loader: ChunkSource;
  /** The legacy full decode (streaming off, or the fallback); default: none — legacy then fails with a clear reason. */
  readonly legacyDecoder?: WholeStemDecoder;
  /** Output rate; every stem must be delivered at it (default 48,000 Hz, or the mixer's). */
  readonly sampleRate?: number;
  /**
   * Where the mixer runs (default: on this thread, rendered by an offline `RenderSink`). For real
   * time, a mixer on its own thread: `(await RealtimeSink.start(...)).mixer` from
   * `@trax/engine-machines/node`, or an AudioWorklet's in a browser.
   */
  readonly mixer?: MixerPort;
  readonly settings?: Partial<EngineSettings>;
  readonly clock?: EngineClock;
  readonly logger?: EngineLogger;
  /** Stem buffers (default: `@trax/streaming-buffer` through `StreamingStemBuffer`). */
  readonly createBuffer?: StemBufferFactory;
  /** An XState inspection observer; it receives summaries only (never audio buffers). */
  readonly inspect?: (event: InspectionEvent) => void;
  readonly setlist?: Setlist;
}

/** A change to one stem of the current song's mix (omitted fields stay). */
export interface StemSetting {
  readonly stem: string;
  readonly gainDb?: Decibels;
  readonly muted?: boolean;
  readonly solo?: boolean;
}

/** A running engine: the root actor and helpers to drive it, feed a sink and read metrics. */
export interface Engine {
  /** The root actor (`systemId: 'engine'`). */
  readonly actor: EngineActor;
  /** What a sink drives (`RenderSink`) or reads (progress displays). */
  readonly playback: PlaybackSource;
  readonly sampleRate: number;
  readonly settings: EngineSettings;
  /** Metrics snapshots: the latest at once, then on every notable change. */
  readonly metrics$: Observable<EngineMetricsSnapshot>;
  /** A fresh metrics snapshot (JSON-safe). */
  metrics(): EngineMetricsSnapshot;
  send(command: EngineCommand): void;
  loadSetlist(setlist: Setlist): void;
  playSong(songId: string): void;
  play(): void;
  pause(): void;
  stop(): void;
  seek(seconds: Seconds): void;
  next(): void;
  previous(): void;
  setStem(change: StemSetting): void;
  setSettings(settings: Partial<EngineSettings>): void;
  /** Stops every actor, closes its songs in the loader and completes `metrics$` (the loader itself is the caller's to stop). */
  close(): Promise<void>;
}

/** How often the control thread collects a free-running mixer's events: well under a quantum burst (~10 ms). */
const PUMP_INTERVAL_MS = 4;

/** Used when no legacy decoder is given: legacy playback fails with an actionable reason. */
const noLegacyDecoder: WholeStemDecoder = {
  decode: (stem) => Promise.reject(new Error(`no legacy decoder configured (createEngine({ legacyDecoder })); cannot decode ${stem.path} whole`)),
};

function songMetrics(runtime: SongRuntime, sampleRate: number): SongMetrics {
  const m = runtime.metrics;
  let hits = 0;
  let decodes = 0;
  for (const stem of runtime.stems) {
    hits += stem.counters.fromCache;
    decodes += stem.counters.decoded;
  }
  const bufferBytes = runtime.bufferBytes();
  m.observeBufferBytes(bufferBytes);
  return {
    song: runtime.spec.id,
    instance: runtime.instance,
    mode: runtime.mode,
    state: runtime.state,
    positionSeconds: runtime.position / sampleRate,
    durationSeconds: runtime.totalFrames / sampleRate,
    firstAudioMs: m.firstAudioMs,
    seekLatencyMs: [...m.seekLatencyMs],
    seeks: { ...m.seeks },
    transitionGapFrames: m.transitionGapFrames,
    underruns: runtime.underruns,
    cache: { hits, decodes, hitRate: hits + decodes > 0 ? hits / (hits + decodes) : null },
    bufferBytes,
    peakBufferBytes: m.peakBufferBytes,
    stems: runtime.stemFill(sampleRate),
    legacyDecodeMs: m.legacyDecodeMs !== null && m.legacyDecodeMs >= 0 ? m.legacyDecodeMs : null,
    failure: m.failure,
  };
}

/**
 * Creates and starts an engine: the root actor, the mixer and the playback driver a sink pulls
 * from. Nothing sounds until a sink runs (`new RenderSink(engine.playback).run(...)` or
 * `new RealtimeSink(engine.playback).start()`).
 *
 * @example
 * const loader = await ChunkLoader.start({ outputSampleRate: 48_000 }); // from @trax/chunk-loader
 * const engine = createEngine({ loader, legacyDecoder: chunkDecoderWholeStem, setlist: await loadSetlist('gig.json') });
 * engine.playSong('song-1');
 * await new RenderSink(engine.playback).run({ seconds: 30, wavPath: 'mix.wav' });
 * console.log(JSON.stringify(engine.metrics(), null, 2));
 */
export function createEngine(options: CreateEngineOptions): Engine {
  const settings = mergeSettings(DEFAULT_SETTINGS, options.settings);
  const sampleRate = options.mixer?.sampleRate ?? options.sampleRate ?? 48_000;
  if (options.sampleRate !== undefined && options.sampleRate !== sampleRate) {
    throw new Error(`createEngine: sampleRate ${options.sampleRate} differs from the mixer's ${sampleRate}`);
  }
  const clock = options.clock ?? systemClock;
  const mixer = options.mixer ?? new InProcessMixer(sampleRate);
  let actor: EngineActor | null = null;
  const env = new EngineEnvironment(
    options.loader,
    options.legacyDecoder ?? noLegacyDecoder,
    clock,
    options.logger ?? silentLogger,
    options.createBuffer ?? StreamingStemBuffer.factory(sampleRate),
    mixer,
    sampleRate,
    settings,
    (e) => {
      const current = actor?.getSnapshot().context.current;
      const status = e.mixer.status();
      return {
        at: e.clock.now(),
        sampleRate: e.sampleRate,
        outputFrames: status.outputFrames,
        currentSong: current ? runtimeOf(current).spec.id : null,
        droppedMixerEvents: status.droppedEvents,
        songs: e.history.map((runtime) => songMetrics(runtime, e.sampleRate)),
      };
    },
  );
  const driver = new PlaybackDriver(env);
  // A mixer on its own thread renders whatever the control thread does; the control thread only
  // has to collect its events now and then (late is fine: the window ahead is seconds long).
  let pumpTimer: unknown = null;
  let closed = false;
  const pump = () => {
    if (closed) return;
    driver.pump();
    pumpTimer = clock.setTimeout(pump, PUMP_INTERVAL_MS);
  };
  if (mixer.freeRunning) pumpTimer = clock.setTimeout(pump, PUMP_INTERVAL_MS);
  actor = createActor(engineMachine, {
    input: { env, setlist: options.setlist },
    systemId: 'engine',
    clock,
    inspect: options.inspect ? summarizingInspector(options.inspect) : undefined,
  });
  driver.attach(actor);
  actor.start();
  const engineActor = actor;
  const send = (command: EngineCommand) => engineActor.send(command);
  return {
    actor: engineActor,
    playback: driver,
    sampleRate,
    get settings() {
      return env.settings;
    },
    metrics$: env.metrics.metrics$,
    metrics: () => env.metrics.snapshot(),
    send,
    loadSetlist: (setlist) => send({ type: 'ENGINE.LOAD_SETLIST', setlist }),
    playSong: (songId) => send({ type: 'ENGINE.PLAY_SONG', songId }),
    play: () => send({ type: 'ENGINE.PLAY' }),
    pause: () => send({ type: 'ENGINE.PAUSE' }),
    stop: () => send({ type: 'ENGINE.STOP' }),
    seek: (seconds) => send({ type: 'ENGINE.SEEK', seconds }),
    next: () => send({ type: 'ENGINE.NEXT' }),
    previous: () => send({ type: 'ENGINE.PREVIOUS' }),
    setStem: (change) => send({ type: 'ENGINE.SET_STEM', ...change }),
    setSettings: (changes) => send({ type: 'ENGINE.SET_SETTINGS', settings: changes }),
    close: async () => {
      engineActor.send({ type: 'ENGINE.CLOSE' });
      closed = true;
      if (pumpTimer !== null) clock.clearTimeout(pumpTimer);
      driver.pump();
      engineActor.stop();
      env.metrics.complete();
      await env.closer.closeAll();
    },
  };
}
