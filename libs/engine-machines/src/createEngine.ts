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
import type { Decibels, Frames, Seconds } from './units.js';
import { checkSetlist } from './check/checkSetlist.js';
import type { CheckSetlistOptions } from './check/checkSetlist.js';
import type { CheckPorts } from './check/checkPorts.js';
import type { SetlistCheck } from './check/SetlistCheck.js';
import type { JournalStore } from './journal/JournalStore.js';
import { parseResumeJournal } from './journal/parseResumeJournal.js';
import type { JumpView } from './machines/jumpMachine.js';
import type { LoopView } from './machines/loopMachine.js';
import type { JumpTarget, JumpWhen } from './music/SongTimeline.js';
import type { LoopRelease, LoopRequest } from './runtime/planNavigation.js';
import { ShowJournal } from './runtime/ShowJournal.js';
import { reasonOf } from './errors.js';

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
  /**
   * Where the resume journal lives (`nodeJournalStore(file)` from `@trax/engine-machines/node`):
   * the engine writes the show's state there at most once a second, atomically.
   */
  readonly journal?: JournalStore;
  /**
   * Re-arm where the journal left the show (after a crash): the same song at the start of the same
   * bar with the same mix and loop — paused (`true`) or playing (`'play'`). Needs `journal` and
   * `setlist`; `engine.resumed` says what happened.
   */
  readonly resume?: boolean | 'play';
  /** The pre-show check's ports (`nodeCheckPorts()` from `@trax/engine-machines/node` in Node), for `engine.check()`. */
  readonly checkPorts?: CheckPorts;
}

/** What `createEngine({ resume })` did. */
export type ResumeOutcome =
  | { readonly resumed: true; readonly song: string; readonly frame: Frames; readonly playing: boolean }
  | { readonly resumed: false; readonly reason: string };

/** A jump: `to` a section (by name) or seconds, landing `when` (on the next beat or bar, at the section's end, after n bars, or now). */
export interface JumpRequest {
  readonly to: JumpTarget;
  readonly when: JumpWhen;
}

/** What a UI shows of the current song's navigation, read from its actors. */
export interface NavigationView {
  readonly song: string | null;
  /** The play position (song frames), and the bar there when the song has a tempo. */
  readonly position: Frames;
  readonly bar: number | null;
  /** The pending scheduled jump (its state: armed.loading, armed.ready, armed.late, crossfading), or null. */
  readonly jump: (JumpView & { readonly state: string }) | null;
  /** The loop (its state: looping, releasing), or null when off. */
  readonly loop: (LoopView & { readonly state: string }) | null;
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
  /** A scheduled jump in the current song (replaces a pending one); refused ones emit `jump.rejected`. */
  jump(request: JumpRequest): void;
  cancelJump(): void;
  /** Repeats a section or `[from, to)` seconds of the current song until released; refused ones emit `loop.rejected`. */
  loop(request: LoopRequest): void;
  releaseLoop(when: LoopRelease): void;
  /** The current song's position, pending jump and loop (from its actors). */
  navigation(): NavigationView;
  /** The pre-show check of the loaded setlist (needs `createEngine({ checkPorts })`). */
  check(options?: CheckSetlistOptions): Promise<SetlistCheck>;
  /** Settles once `createEngine({ resume })` has re-armed the journaled song, or found nothing to resume. */
  readonly resumed: Promise<ResumeOutcome>;
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
    jumps: { ...m.jumps },
    loopWraps: m.loopWraps,
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
  const journal = options.journal
    ? new ShowJournal(
        options.journal,
        clock,
        () => {
          const context = actor?.getSnapshot().context;
          return { setlist: context?.setlist ?? null, current: context?.current ? runtimeOf(context.current) : null, playing: context?.wantsPlay ?? false };
        },
        (error) => env.logger.warn(`Engine: writing the resume journal ${options.journal?.name} failed: ${reasonOf(error)}`),
      )
    : null;
  const driver = new PlaybackDriver(env, journal ? () => journal.observe() : undefined);
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
  const resumed = options.resume ? resume(options, send) : Promise.resolve<ResumeOutcome>({ resumed: false, reason: 'not asked to resume' });
  if (journal) {
    engineActor.on('setlist.ended', () => {
      journal.finish().catch((error: unknown) => env.logger.warn(`Engine: removing the resume journal failed: ${reasonOf(error)}`));
    });
  }
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
    jump: (request) => send({ type: 'ENGINE.JUMP', to: request.to, when: request.when }),
    cancelJump: () => send({ type: 'ENGINE.CANCEL_JUMP' }),
    loop: (request) => send({ type: 'ENGINE.LOOP', loop: request }),
    releaseLoop: (when) => send({ type: 'ENGINE.RELEASE_LOOP', when }),
    navigation: () => navigationOf(engineActor),
    check: (checkOptions) => {
      const setlist = engineActor.getSnapshot().context.setlist;
      if (!options.checkPorts) return Promise.reject(new Error('engine.check() needs createEngine({ checkPorts }) — in Node, nodeCheckPorts() from @trax/engine-machines/node'));
      if (!setlist) return Promise.reject(new Error('engine.check(): no setlist loaded'));
      return checkSetlist(setlist, options.checkPorts, { sampleRate, chunkSeconds: env.settings.chunkSeconds, ...checkOptions });
    },
    resumed,
    close: async () => {
      // The journal keeps where the show was (it is removed only when the setlist ends).
      await journal?.close();
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

/** Reads, checks and applies the resume journal (`createEngine({ resume })`). Never rejects: a journal that cannot be used is a reason. */
async function resume(options: CreateEngineOptions, send: (command: EngineCommand) => void): Promise<ResumeOutcome> {
  const store = options.journal;
  const setlist = options.setlist;
  if (!store) return { resumed: false, reason: 'no journal to resume from (createEngine({ journal }))' };
  if (!setlist) return { resumed: false, reason: 'no setlist to resume in (createEngine({ setlist }))' };
  try {
    const text = await store.read();
    if (text === undefined) return { resumed: false, reason: `no resume journal at ${store.name}` };
    const journal = parseResumeJournal(text, store.name);
    if (journal.setlist.source !== setlist.source)
      return { resumed: false, reason: `${store.name} is the journal of another setlist (${journal.setlist.source}, not ${setlist.source})` };
    if (!setlist.songs.some((song) => song.id === journal.song)) return { resumed: false, reason: `${store.name}: song "${journal.song}" is no longer in ${setlist.source}` };
    const playing = options.resume === 'play';
    send({ type: 'ENGINE.RESUME', journal, play: playing });
    return { resumed: true, song: journal.song, frame: journal.position.frame, playing };
  } catch (error) {
    return { resumed: false, reason: reasonOf(error) };
  }
}

/** The current song's navigation, read from its actors' snapshots. */
function navigationOf(engine: EngineActor): NavigationView {
  const current = engine.getSnapshot().context.current;
  if (!current) return { song: null, position: 0, bar: null, jump: null, loop: null };
  const runtime = runtimeOf(current);
  const context = current.getSnapshot().context;
  const position = runtime.position;
  const tempo = runtime.timeline?.tempo;
  const stateOf = (value: unknown): string => (typeof value === 'string' ? value : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}.${stateOf(v)}`)[0]);
  const jumpSnapshot = context.jump?.getSnapshot();
  const loopSnapshot = context.loop.getSnapshot();
  const pick = <T extends object>(source: T, keys: readonly (keyof T)[]) => Object.fromEntries(keys.map((k) => [k, source[k]]));
  return {
    song: runtime.spec.id,
    position,
    bar: tempo ? tempo.barAt(Math.max(0, Math.round(position))) : null,
    jump:
      jumpSnapshot && jumpSnapshot.status === 'active'
        ? ({
            state: stateOf(jumpSnapshot.value),
            ...pick(jumpSnapshot.context, ['to', 'when', 'target', 'landing', 'targetSeconds', 'landingSeconds', 'ready', 'late', 'reason']),
          } as JumpView & { state: string })
        : null,
    loop:
      loopSnapshot.value === 'off'
        ? null
        : ({ state: stateOf(loopSnapshot.value), ...pick(loopSnapshot.context, ['start', 'end', 'startSeconds', 'endSeconds', 'section', 'wraps']) } as LoopView & { state: string }),
  };
}
