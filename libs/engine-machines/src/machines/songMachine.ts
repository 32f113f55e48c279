import { assertEvent, assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ActorRefFrom, DoneActorEvent, ErrorActorEvent } from 'xstate';
import { reasonOf } from '../errors.js';
import type { StemInfo } from '../ports/ChunkSource.js';
import type { WholeStem } from '../ports/WholeStemDecoder.js';
import { failStemCommand, pauseCommand, playCommand, setStemCommand, startCommand } from '../realtime/MixerCommand.js';
import { dbToGain } from '../realtime/gain.js';
import type { EngineEnv } from '../runtime/EngineEnv.js';
import { SongRuntime } from '../runtime/SongRuntime.js';
import type { SongMemory } from '../runtime/SongRuntime.js';
import { bufferCapacityChunks } from '../runtime/stemRequests.js';
import type { SongSpec } from '../setlist/setlistTypes.js';
import { framesToSeconds, secondsToFrames } from '../units.js';
import type { Decibels, Frames, Millis, Seconds } from '../units.js';
import type { ResumeJournal } from '../journal/ResumeJournal.js';
import { resumeFrame } from '../journal/resumeFrame.js';
import type { JumpTarget, JumpWhen } from '../music/SongTimeline.js';
import type { LoopRelease, LoopRequest } from '../runtime/planNavigation.js';
import { legacyDecode } from './actors/legacyDecode.js';
import type { LegacyProgress } from './actors/legacyDecode.js';
import { openStems } from './actors/openStems.js';
import { jumpMachine } from './jumpMachine.js';
import type { JumpActor, JumpEvent, JumpOutcome } from './jumpMachine.js';
import { loopMachine } from './loopMachine.js';
import type { LoopActor, LoopEvent, LoopOutput } from './loopMachine.js';
import { seekMachine } from './seekMachine.js';
import type { SeekActor, SeekOutcome } from './seekMachine.js';
import { stemLoaderMachine } from './stemLoaderMachine.js';
import type { StemLoaderActor, StemLoaderOutput } from './stemLoaderMachine.js';

export interface SongInput {
  readonly env: EngineEnv;
  readonly spec: SongSpec;
  readonly instance: number;
  /** Re-arm where a journal left the show: its bar, its mix, its loop (after a crash). */
  readonly resume?: ResumeJournal;
}

export interface SongContext {
  readonly env: EngineEnv;
  readonly song: SongRuntime;
  readonly stemLoaders: readonly StemLoaderActor[];
  readonly primedStems: readonly number[];
  readonly seek: SeekActor | null;
  /** The pending scheduled jump (a UI reads its context: target, landing, ready). */
  readonly jump: JumpActor | null;
  /** The song's loop (state off, looping, releasing; context: range, wraps). */
  readonly loop: LoopActor;
  readonly failure: string | null;
  readonly legacyProgress: LegacyProgress | null;
  /** The journal this song resumes from (after a crash), or null. */
  readonly resume: ResumeJournal | null;
}

/** A change to one stem's mix; omitted fields keep their value. */
export interface StemChange {
  readonly stem: string;
  readonly gainDb?: Decibels;
  readonly muted?: boolean;
  readonly solo?: boolean;
}

export type SongEvent =
  | { type: 'SONG.LOAD' }
  | { type: 'SONG.PRELOAD' }
  | { type: 'SONG.PLAY' }
  | { type: 'SONG.PAUSE' }
  | { type: 'SONG.SEEK'; seconds: Seconds; requestedAt: Millis }
  | { type: 'SONG.JUMP'; to: JumpTarget; when: JumpWhen; requestedAt: Millis }
  | { type: 'SONG.CANCEL_JUMP' }
  | { type: 'SONG.LOOP'; request: LoopRequest }
  | { type: 'SONG.RELEASE_LOOP'; when: LoopRelease }
  | { type: 'MIXER.JUMP_MISSED'; seekId: number }
  | Extract<LoopEvent, { type: 'MIXER.LOOP_WRAPPED' | 'MIXER.LOOP_RELEASED' }>
  | JumpOutcome
  | LoopOutput
  | ({ type: 'SONG.SET_STEM' } & StemChange)
  | { type: 'SONG.WARM_CACHE'; chunks: number }
  | { type: 'MIXER.CHUNK_ENTERED'; position: Frames }
  | { type: 'MIXER.SEEK_LANDED'; seekId: number; position: Frames; left: Frames | null; at: Millis }
  | { type: 'MIXER.RELEASED'; seekId: number }
  | { type: 'MIXER.STEM_STARVED'; stem: number }
  | { type: 'MIXER.STEM_FED'; stem: number }
  | { type: 'MIXER.ENDED' }
  | { type: 'LEGACY.PROGRESS'; progress: LegacyProgress }
  | StemLoaderOutput
  | SeekOutcome
  | DoneActorEvent<StemInfo[], 'openStems'>
  | ErrorActorEvent<unknown, 'openStems'>
  | DoneActorEvent<WholeStem[], 'legacyDecode'>
  | ErrorActorEvent<unknown, 'legacyDecode'>;

/** What a song tells the engine. */
export type SongOutput =
  | { type: 'SONG.READY'; instance: number }
  | { type: 'SONG.FAILED'; instance: number; reason: string }
  | { type: 'SONG.SEEK_REJECTED'; instance: number; reason: string }
  | { type: 'SONG.JUMP_REJECTED'; instance: number; reason: string }
  | { type: 'SONG.LOOP_REJECTED'; instance: number; reason: string }
  | { type: 'SONG.LEGACY_PROGRESS'; instance: number; progress: LegacyProgress };

/** How the song's audio memory is made: buffers sized by the settings, shared when the mixer runs on another thread. */
const songMemory = (env: EngineEnv): SongMemory => ({
  sampleRate: env.sampleRate,
  createBuffer: env.createBuffer,
  capacityChunks: bufferCapacityChunks(env.settings.bufferChunks),
  shared: env.mixer.sharedMemory,
});

/**
 * One loaded song: idle → opening (headers of all stems) → priming (the first-audio slice of every
 * stem, urgent) → ready → playing ⇄ paused → ended; `preloading` (opening and priming at idle
 * priority, for the next song of the setlist); `legacy` (every stem decoded whole, then played from
 * memory) when streaming is off or fails with `fallbackToLegacy` on; `failed` with a reason
 * otherwise. Spawns one stem loader per stem and one seek actor per seek.
 */
export const songMachine = setup({
  types: {
    context: {} as SongContext,
    events: {} as SongEvent,
    input: {} as SongInput,
  },
  actors: { openStems, legacyDecode, stemLoader: stemLoaderMachine, seek: seekMachine, jump: jumpMachine, loop: loopMachine },
  actions: {
    /** Wakes whoever waits for the engine to change (an offline render waiting for this song). */
    notifyChange: ({ context }) => context.env.changes.notify(),
    /** Builds buffers and the mix layout, and spawns a stem loader per stem. */
    buildStreaming: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'xstate.done.actor.openStems');
      const { env, song } = context;
      song.buildStreaming(event.output, songMemory(env));
      env.logger.info(`Song ${song.spec.id}: opened ${song.stems.length} stems (${(song.totalFrames / env.sampleRate).toFixed(1)} s)`);
      if (song.timelineProblem) env.logger.warn(`Song ${song.spec.id}: its musical fields do not fit it (${song.timelineProblem}); it plays without jumps, loops or count-in`);
      // Where a journal left it, before the stem loaders start from the play position.
      if (context.resume) applyResume(song, context.resume);
      enqueue.assign({
        stemLoaders: ({ spawn }) =>
          song.stems.map((stem) => spawn('stemLoader', { id: `stem:${stem.spec.id}`, systemId: stem.systemId, input: { env, song, stem } })),
      });
    }),
    prime: enqueueActions(({ context, enqueue }, params: { priority: 'urgent' | 'idle' }) => {
      for (const loader of context.stemLoaders) enqueue.sendTo(loader, { type: 'STEM.PRIME', priority: params.priority });
    }),
    markPrimed: assign({
      primedStems: ({ context, event }) => {
        assertEvent(event, 'STEM.PRIMED');
        return context.primedStems.includes(event.stem) ? context.primedStems : [...context.primedStems, event.stem];
      },
    }),
    recordFailure: assign({
      failure: ({ context, event }) => {
        if (event.type === 'STEM.FAILED') return `${context.song.spec.id}/${context.song.stems[event.stem].spec.id}: ${event.reason}`;
        if ('error' in event) return reasonOf(event.error);
        return 'streaming is disabled';
      },
    }),
    /** Leaves streaming: stops the stem loaders and withdraws the song's loads. */
    abandonStreaming: enqueueActions(({ context, enqueue }) => {
      const { env, song } = context;
      env.logger.info(`Song ${song.spec.id}: ${context.failure ? `streaming failed (${context.failure}); ` : ''}decoding every stem whole (legacy)`);
      for (const loader of context.stemLoaders) enqueue.stopChild(loader);
      enqueue.assign({ stemLoaders: [], primedStems: [] });
      // The buffers stay with the mixer (silent, no longer filled) until the whole decode replaces them.
      if (context.stemLoaders.length > 0) env.loader.cancel({ song: song.spec.id });
    }),
    buildLegacy: ({ context, event }) => {
      assertEvent(event, 'xstate.done.actor.legacyDecode');
      const song = context.song;
      song.buildLegacy(event.output, context.env.mixer.sharedMemory, context.env.sampleRate);
      song.metrics.observeBufferBytes(song.bufferBytes());
      if (context.resume && !song.started) applyResume(song, context.resume);
    },
    /** A journaled loop is set again once the mixer knows the song. */
    resumeLoop: enqueueActions(({ context, enqueue }) => {
      const loop = context.resume?.loop;
      if (!loop || context.song.loop) return;
      const rate = context.env.sampleRate;
      const scale = rate / (context.resume as ResumeJournal).position.sampleRate;
      const request: LoopRequest = loop.section !== undefined ? { section: loop.section } : { from: (loop.start * scale) / rate, to: (loop.end * scale) / rate };
      enqueue.sendTo(context.loop, { type: 'LOOP.SET', request });
    }),
    /** Effect: hands the song (its stems' audio memory) to the mixer; again after a fallback to legacy. */
    registerWithMixer: ({ context }) => context.env.mixer.registerSong(context.song.registration()),
    startLegacyClock: ({ context }) => {
      context.song.metrics.legacyDecodeMs = -context.env.clock.now();
    },
    stopLegacyClock: ({ context }) => {
      const metrics = context.song.metrics;
      if (metrics.legacyDecodeMs !== null && metrics.legacyDecodeMs <= 0) metrics.legacyDecodeMs += context.env.clock.now();
    },
    legacyProgress: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'LEGACY.PROGRESS');
      enqueue.assign({ legacyProgress: event.progress });
      enqueue.sendParent({ type: 'SONG.LEGACY_PROGRESS', instance: context.song.instance, progress: event.progress } satisfies SongOutput);
    }),
    notifyReady: sendParent(({ context }): SongOutput => ({ type: 'SONG.READY', instance: context.song.instance })),
    notifyFailed: enqueueActions(({ context, enqueue }) => {
      const reason = context.failure ?? 'unknown error';
      context.song.metrics.failure = reason;
      context.env.logger.error(`Song ${context.song.spec.id} failed: ${reason}`);
      enqueue.sendParent({ type: 'SONG.FAILED', instance: context.song.instance, reason } satisfies SongOutput);
    }),
    /**
     * Makes this song the mixer's playing song (fading out any other over the jump fade) and runs
     * the transport; started from its first frame the first time, its count-in plays first.
     */
    startVoice: ({ context }) => {
      const { env, song } = context;
      if (!song.registered) return;
      const fade = secondsToFrames(env.settings.songJumpFadeMs / 1000, env.sampleRate);
      env.mixer.post(startCommand(song.instance, song.position, fade, !song.started && song.position === 0));
      env.mixer.post(playCommand());
    },
    pauseVoice: ({ context }) => context.env.mixer.post(pauseCommand()),
    spawnSeek: enqueueActions(({ context, event, enqueue }, params: { ready: boolean }) => {
      assertEvent(event, 'SONG.SEEK');
      const { env, song } = context;
      if (context.seek) enqueue.sendTo(context.seek, { type: 'SEEK.SUPERSEDE' });
      // One pending jump-or-seek at a time (the mixer has one): a seek replaces a scheduled jump.
      if (context.jump) enqueue.sendTo(context.jump, { type: 'JUMP.SUPERSEDE' } satisfies JumpEvent);
      song.metrics.seeks.requested++;
      const seekId = env.nextSeekId();
      const notReadyReason = params.ready && song.registered ? null : `${song.spec.id} is not ready to seek yet (still loading, or failed)`;
      enqueue.assign({
        seek: ({ spawn }) =>
          spawn('seek', {
            id: `seek:${seekId}`,
            systemId: `${song.systemId}/seek:${seekId}`,
            input: { env, song, seekId, target: secondsToFrames(event.seconds, env.sampleRate), requestedAt: event.requestedAt, notReadyReason, stemLoaders: context.stemLoaders },
          }),
      });
    }),
    seekFinished: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SEEK.FINISHED');
      const metrics = context.song.metrics;
      if (event.outcome === 'superseded') metrics.seeks.superseded++;
      if (event.outcome === 'rejected') {
        metrics.seeks.rejected++;
        context.env.logger.warn(`Seek rejected: ${event.reason}`);
        enqueue.sendParent({ type: 'SONG.SEEK_REJECTED', instance: context.song.instance, reason: event.reason ?? 'rejected' } satisfies SongOutput);
      }
      const child = context.seek;
      if (child && child.id === `seek:${event.seekId}`) enqueue.assign({ seek: null });
    }),
    forwardToSeek: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['MIXER.SEEK_LANDED', 'MIXER.RELEASED', 'MIXER.JUMP_MISSED']);
      // Seeks and jumps share the mixer's ids: each takes only its own.
      if (context.seek && event.type !== 'MIXER.JUMP_MISSED') enqueue.sendTo(context.seek, event);
      if (context.jump) enqueue.sendTo(context.jump, event);
    }),
    /**
     * A scheduled jump (`when` a musical boundary) replaces any pending seek or jump; a jump `now`
     * is a seek to the target (crossfaded, as soon as it is loaded).
     */
    jump: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SONG.JUMP');
      const { env, song } = context;
      if (event.when === 'now') {
        try {
          if (!song.timeline) throw new Error(`${song.spec.id} is not ready to jump yet (still loading, or failed)`);
          const seconds = framesToSeconds(song.timeline.targetFrame(event.to), env.sampleRate);
          enqueue.raise({ type: 'SONG.SEEK', seconds, requestedAt: event.requestedAt });
        } catch (error) {
          env.logger.warn(`Jump rejected: ${reasonOf(error)}`);
          enqueue.sendParent({ type: 'SONG.JUMP_REJECTED', instance: song.instance, reason: reasonOf(error) } satisfies SongOutput);
        }
        return;
      }
      if (context.seek) enqueue.sendTo(context.seek, { type: 'SEEK.SUPERSEDE' });
      if (context.jump) enqueue.sendTo(context.jump, { type: 'JUMP.SUPERSEDE' } satisfies JumpEvent);
      const jumpId = env.nextSeekId();
      const when = event.when;
      enqueue.assign({
        jump: ({ spawn }) =>
          spawn('jump', {
            id: `jump:${jumpId}`,
            systemId: `${song.systemId}/jump:${jumpId}`,
            input: { env, song, jumpId, to: event.to, when, requestedAt: event.requestedAt, stemLoaders: context.stemLoaders },
          }),
      });
    }),
    cancelJump: enqueueActions(({ context, enqueue }) => {
      if (context.jump) enqueue.sendTo(context.jump, { type: 'JUMP.CANCEL' } satisfies JumpEvent);
    }),
    jumpFinished: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'JUMP.FINISHED');
      if (event.outcome === 'rejected') {
        context.env.logger.warn(`Jump rejected: ${event.reason}`);
        enqueue.sendParent({ type: 'SONG.JUMP_REJECTED', instance: context.song.instance, reason: event.reason ?? 'rejected' } satisfies SongOutput);
      }
      const child = context.jump;
      if (child && child.id === `jump:${event.jumpId}`) enqueue.assign({ jump: null });
    }),
    toLoop: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['SONG.LOOP', 'SONG.RELEASE_LOOP', 'MIXER.LOOP_WRAPPED', 'MIXER.LOOP_RELEASED']);
      if (event.type === 'SONG.LOOP') enqueue.sendTo(context.loop, { type: 'LOOP.SET', request: event.request } satisfies LoopEvent);
      else if (event.type === 'SONG.RELEASE_LOOP') enqueue.sendTo(context.loop, { type: 'LOOP.RELEASE', when: event.when } satisfies LoopEvent);
      else enqueue.sendTo(context.loop, event);
    }),
    /** The loop changed: the stems keep its start (or stop keeping it) along the playback path. */
    loopChanged: enqueueActions(({ context, enqueue }) => {
      const { song } = context;
      for (const loader of context.stemLoaders) enqueue.sendTo(loader, { type: 'STEM.LOOP', loop: song.wrappingLoop, position: song.position });
    }),
    loopRejected: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'LOOP.REJECTED');
      context.env.logger.warn(`Loop rejected: ${event.reason}`);
      enqueue.sendParent({ type: 'SONG.LOOP_REJECTED', instance: context.song.instance, reason: event.reason } satisfies SongOutput);
    }),
    /** A position a seek left went silent: the stems stop keeping it and refill around the playing one. */
    releaseFade: enqueueActions(({ context, enqueue }) => {
      for (const loader of context.stemLoaders) enqueue.sendTo(loader, { type: 'STEM.FADE_RELEASED' });
    }),
    /** The mixer found a stem starving (or fed again): its loader is told. */
    forwardStarvation: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['MIXER.STEM_STARVED', 'MIXER.STEM_FED']);
      const loader = context.stemLoaders[event.stem];
      if (loader) enqueue.sendTo(loader, { type: event.type === 'MIXER.STEM_STARVED' ? 'STEM.STARVED' : 'STEM.FED' });
    }),
    /** Effect: a stem gave up streaming; the mixer plays it as silence (without counting underruns) from now on. */
    failStem: ({ context, event }) => {
      assertEvent(event, 'STEM.FAILED');
      const { env, song } = context;
      song.stems[event.stem].failed = true;
      if (song.registered) env.mixer.post(failStemCommand(song.instance, event.stem));
    },
    playhead: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MIXER.CHUNK_ENTERED');
      for (const loader of context.stemLoaders) enqueue.sendTo(loader, { type: 'STEM.PLAYHEAD', position: event.position });
    }),
    warmCache: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SONG.WARM_CACHE');
      for (const loader of context.stemLoaders) enqueue.sendTo(loader, { type: 'STEM.WARM_CACHE', chunks: event.chunks });
    }),
    setStem: ({ context, event }) => {
      assertEvent(event, 'SONG.SET_STEM');
      const { env, song } = context;
      const stem = song.stems.find((s) => s.spec.id === event.stem);
      if (!stem) {
        env.logger.warn(`Song ${song.spec.id} has no stem "${event.stem}" (stems: ${song.stems.map((s) => s.spec.id).join(', ')})`);
        return;
      }
      stem.gainDb = event.gainDb ?? stem.gainDb;
      stem.muted = event.muted ?? stem.muted;
      stem.solo = event.solo ?? stem.solo;
      if (song.registered) env.mixer.post(setStemCommand(song.instance, stem.index, dbToGain(stem.gainDb), stem.muted, stem.solo));
    },
  },
  guards: {
    streamingDisabled: ({ context }) => !context.env.settings.streamingEnabled,
    fallbackOn: ({ context }) => context.env.settings.fallbackToLegacy,
    allPrimed: ({ context }) =>
      context.stemLoaders.length > 0 && context.song.stems.every((stem) => stem.failed || context.primedStems.includes(stem.index)),
  },
}).createMachine({
  id: 'song',
  context: ({ input, self, spawn }) => {
    const song = Object.assign(new SongRuntime(input.instance, input.spec), { actor: self });
    return {
      env: input.env,
      song,
      stemLoaders: [],
      primedStems: [],
      seek: null,
      jump: null,
      loop: spawn('loop', { id: 'loop', systemId: `${song.systemId}/loop`, input: { env: input.env, song } }),
      failure: null,
      legacyProgress: null,
      resume: input.resume ?? null,
    };
  },
  initial: 'idle',
  on: {
    // A stem gave up streaming (open/index error or repeated load errors): the whole song falls back.
    'STEM.FAILED': [
      { guard: 'fallbackOn', target: '.legacy', actions: ['failStem', 'recordFailure'] },
      { target: '.failed', actions: ['failStem', 'recordFailure'] },
    ],
    'SONG.SEEK': { actions: { type: 'spawnSeek', params: { ready: false } } },
    'SONG.SET_STEM': { actions: 'setStem' },
    'SEEK.FINISHED': { actions: 'seekFinished' },
    'MIXER.SEEK_LANDED': { actions: 'forwardToSeek' },
    'MIXER.RELEASED': { actions: ['forwardToSeek', 'releaseFade'] },
    'MIXER.JUMP_MISSED': { actions: 'forwardToSeek' },
    'SONG.JUMP': { actions: 'jump' },
    'SONG.CANCEL_JUMP': { actions: 'cancelJump' },
    'JUMP.FINISHED': { actions: 'jumpFinished' },
    'SONG.LOOP': { actions: 'toLoop' },
    'SONG.RELEASE_LOOP': { actions: 'toLoop' },
    'MIXER.LOOP_WRAPPED': { actions: 'toLoop' },
    'MIXER.LOOP_RELEASED': { actions: 'toLoop' },
    'LOOP.CHANGED': { actions: 'loopChanged' },
    'LOOP.REJECTED': { actions: 'loopRejected' },
    'MIXER.CHUNK_ENTERED': { actions: 'playhead' },
    'MIXER.STEM_STARVED': { actions: 'forwardStarvation' },
    'MIXER.STEM_FED': { actions: 'forwardStarvation' },
    'SONG.WARM_CACHE': { actions: 'warmCache' },
  },
  states: {
    idle: {
      on: {
        'SONG.LOAD': [{ guard: 'streamingDisabled', target: 'legacy' }, { target: 'opening' }],
        'SONG.PRELOAD': [{ guard: 'streamingDisabled', target: 'legacy' }, { target: 'preloading' }],
      },
    },
    opening: {
      entry: 'notifyChange',
      invoke: {
        src: 'openStems',
        id: 'openStems',
        input: ({ context }) => ({ loader: context.env.loader, song: context.song.spec, sampleRate: context.env.sampleRate }),
        onDone: { target: 'priming', actions: ['buildStreaming', 'registerWithMixer', 'resumeLoop'] },
        onError: [
          { guard: 'fallbackOn', target: 'legacy', actions: 'recordFailure' },
          { target: 'failed', actions: 'recordFailure' },
        ],
      },
    },
    priming: {
      entry: ['notifyChange', { type: 'prime', params: { priority: 'urgent' } }],
      always: { guard: 'allPrimed', target: 'ready' },
      on: {
        'STEM.PRIMED': { actions: 'markPrimed' },
      },
    },
    /** The next song of the setlist, loaded at idle priority so the playing one is never starved. */
    preloading: {
      entry: 'notifyChange',
      initial: 'opening',
      states: {
        opening: {
          invoke: {
            src: 'openStems',
            id: 'openStems',
            input: ({ context }) => ({ loader: context.env.loader, song: context.song.spec, sampleRate: context.env.sampleRate }),
            onDone: { target: 'priming', actions: ['buildStreaming', 'registerWithMixer', 'resumeLoop'] },
            onError: [
              { guard: 'fallbackOn', target: '#song.legacy', actions: 'recordFailure' },
              { target: '#song.failed', actions: 'recordFailure' },
            ],
          },
          // To play now: open again at play priority (headers are cheap).
          on: { 'SONG.LOAD': { target: '#song.opening' } },
        },
        priming: {
          entry: { type: 'prime', params: { priority: 'idle' } },
          always: { guard: 'allPrimed', target: '#song.ready' },
          on: {
            'STEM.PRIMED': { actions: 'markPrimed' },
            'SONG.LOAD': { target: '#song.priming' },
          },
        },
      },
    },
    legacy: {
      entry: ['notifyChange', 'abandonStreaming', 'startLegacyClock'],
      invoke: {
        src: 'legacyDecode',
        id: 'legacyDecode',
        input: ({ context, self }) => ({
          decoder: context.env.legacyDecoder,
          song: context.song.spec,
          sampleRate: context.env.sampleRate,
          onProgress: (progress: LegacyProgress) => self.send({ type: 'LEGACY.PROGRESS', progress }),
        }),
        onDone: { target: 'ready', actions: ['stopLegacyClock', 'buildLegacy', 'registerWithMixer', 'resumeLoop'] },
        onError: { target: 'failed', actions: 'recordFailure' },
      },
      on: { 'LEGACY.PROGRESS': { actions: 'legacyProgress' }, 'STEM.FAILED': {} },
    },
    ready: {
      entry: ['notifyChange', 'notifyReady'],
      on: { 'SONG.PLAY': 'playing', 'SONG.SEEK': { actions: { type: 'spawnSeek', params: { ready: true } } } },
    },
    playing: {
      entry: ['notifyChange', 'startVoice'],
      on: {
        'SONG.PAUSE': 'paused',
        'MIXER.ENDED': 'ended',
        'SONG.SEEK': { actions: { type: 'spawnSeek', params: { ready: true } } },
      },
    },
    paused: {
      entry: ['notifyChange', 'pauseVoice'],
      on: { 'SONG.PLAY': 'playing', 'SONG.SEEK': { actions: { type: 'spawnSeek', params: { ready: true } } } },
    },
    // The engine learns the end from the mixer (MIXER.SONG_ENDED); nothing to tell it here.
    ended: {
      entry: 'notifyChange',
      on: { 'STEM.FAILED': {} },
    },
    failed: {
      entry: ['notifyChange', 'notifyFailed'],
      on: { 'STEM.FAILED': {} },
    },
  },
});

export type SongActor = ActorRefFrom<typeof songMachine>;

/**
 * Re-arms a song where a journal left it: at the start of the journaled bar (`resumeFrame`), with
 * the journaled mix of each stem it still has. Before its stem loaders start and before the mixer
 * gets its registration (which carries the mix).
 */
function applyResume(song: SongRuntime, journal: ResumeJournal): void {
  if (song.resumed) return;
  song.resumed = true;
  if (song.timeline) song.startPosition = resumeFrame(journal, song.timeline);
  for (const mix of journal.mix) {
    const stem = song.stems.find((s) => s.spec.id === mix.stem);
    if (!stem) continue;
    stem.gainDb = mix.gainDb;
    stem.muted = mix.muted;
    stem.solo = mix.solo;
  }
}
