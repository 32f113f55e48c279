import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import type { ActorRefFrom } from 'xstate';
import { armNextCommand, fadeOutCommand, NO_SONG, stopCommand, unregisterCommand } from '../realtime/MixerCommand.js';
import type { MixerCommand } from '../realtime/MixerCommand.js';
import type { ResumeJournal } from '../journal/ResumeJournal.js';
import type { JumpTarget, JumpWhen } from '../music/SongTimeline.js';
import type { EngineEnv } from '../runtime/EngineEnv.js';
import { handOverOf } from '../runtime/handOver.js';
import type { LoopRelease, LoopRequest } from '../runtime/planNavigation.js';
import type { SongRuntime } from '../runtime/SongRuntime.js';
import type { EngineSettings } from '../settings/EngineSettings.js';
import { LOADER_SETTINGS, mergeSettings } from '../settings/EngineSettings.js';
import type { Setlist, SongSpec } from '../setlist/setlistTypes.js';
import { reasonOf } from '../errors.js';
import { secondsToFrames } from '../units.js';
import type { Decibels, Frames, Seconds } from '../units.js';
import type { LegacyProgress } from './actors/legacyDecode.js';
import { songMachine } from './songMachine.js';
import type { SongActor, SongOutput } from './songMachine.js';

export interface EngineInput {
  readonly env: EngineEnv;
  readonly setlist?: Setlist;
}

export interface EngineContext {
  readonly env: EngineEnv;
  readonly setlist: Setlist | null;
  /** Index in the setlist of the current song (-1 = none). */
  readonly currentIndex: number;
  readonly current: SongActor | null;
  /** The next song of the setlist, preloaded (or being preloaded). */
  readonly next: SongActor | null;
  /** Songs replaced by a jump, kept until the mixer has faded them out. */
  readonly retiring: readonly SongActor[];
  /** Whether the performer wants sound (PLAY) or not (PAUSE/STOP). */
  readonly wantsPlay: boolean;
  readonly settings: EngineSettings;
  readonly lastError: string | null;
}

/** Public commands (the issue's LOAD_SETLIST, PLAY_SONG, PLAY, PAUSE, STOP, SEEK, NEXT, PREVIOUS, SET_STEM, SET_SETTINGS). */
export type EngineCommand =
  | { type: 'ENGINE.LOAD_SETLIST'; setlist: Setlist }
  | { type: 'ENGINE.PLAY_SONG'; songId: string }
  | { type: 'ENGINE.PLAY' }
  | { type: 'ENGINE.PAUSE' }
  | { type: 'ENGINE.STOP' }
  | { type: 'ENGINE.SEEK'; seconds: Seconds }
  | { type: 'ENGINE.NEXT' }
  | { type: 'ENGINE.PREVIOUS' }
  | { type: 'ENGINE.SET_STEM'; stem: string; gainDb?: Decibels; muted?: boolean; solo?: boolean }
  | { type: 'ENGINE.SET_SETTINGS'; settings: Partial<EngineSettings> }
  | { type: 'ENGINE.JUMP'; to: JumpTarget; when: JumpWhen }
  | { type: 'ENGINE.CANCEL_JUMP' }
  | { type: 'ENGINE.LOOP'; loop: LoopRequest }
  | { type: 'ENGINE.RELEASE_LOOP'; when: LoopRelease }
  | { type: 'ENGINE.RESUME'; journal: ResumeJournal; play: boolean }
  /** Stops everything for good (`engine.close()`): nothing is prepared again. */
  | { type: 'ENGINE.CLOSE' };

/** Sent by the playback driver from the mixer's events (control thread, after a quantum). */
export type MixerNotice =
  | { type: 'MIXER.SONG_STARTED'; instance: number; gapFrames: Frames; transition: boolean }
  | { type: 'MIXER.SONG_ENDED'; instance: number; fading: boolean }
  | { type: 'MIXER.SONG_RELEASED'; instance: number }
  | { type: 'MIXER.PRELOAD_POINT'; instance: number };

/** Raised by the engine to itself after spawning a song, so the new actor is in context. */
type EngineInternal = { type: 'ENGINE.CURRENT_SPAWNED' } | { type: 'ENGINE.NEXT_SPAWNED' } | { type: 'ENGINE.PREPARED_SPAWNED' };

export type EngineEvent = EngineCommand | MixerNotice | SongOutput | EngineInternal;

/** Emitted to `actor.on(...)` listeners (UI): song lifecycle and legacy decode progress. */
export type EngineEmitted =
  | { type: 'song.ready'; songId: string; instance: number }
  | { type: 'song.started'; songId: string; instance: number }
  | { type: 'song.ended'; songId: string; instance: number }
  | { type: 'song.failed'; songId: string; instance: number; reason: string }
  | { type: 'legacy.progress'; songId: string; progress: LegacyProgress }
  | { type: 'seek.rejected'; songId: string; reason: string }
  | { type: 'jump.rejected'; songId: string; reason: string }
  | { type: 'loop.rejected'; songId: string; reason: string }
  | { type: 'setlist.ended' }
  | { type: 'engine.error'; message: string };

/** The SongRuntime inside a song actor. */
export const runtimeOf = (actor: SongActor): SongRuntime => actor.getSnapshot().context.song;

/** How a song actor is spawned: a new instance, named `song:<id>` in the system. */
function songOptions(env: EngineEnv, spec: SongSpec) {
  const instance = env.nextInstanceId();
  return { id: `song:${spec.id}#${instance}`, systemId: `song:${spec.id}`, input: { env, spec, instance } };
}

const songIndex = (setlist: Setlist | null, songId: string): number => (setlist ? setlist.songs.findIndex((s) => s.id === songId) : -1);

function find(context: EngineContext, instance: number): SongActor | undefined {
  return [context.current, context.next, ...context.retiring].find((a): a is SongActor => a !== null && runtimeOf(a).instance === instance);
}

/**
 * The command arming `next` to follow `current` in the mixer, as `current`'s transition says
 * (gapless, gap, crossfade, then `next`'s count-in), or null when it is not to follow by itself
 * (auto-advance off, a `stop` transition).
 */
function armCommand(env: EngineEnv, current: SongActor | null, next: SongActor): MixerCommand | null {
  const runtime = runtimeOf(next);
  if (!env.settings.autoAdvance || !runtime.registered) return null;
  const handOver = current ? handOverOf(runtimeOf(current), runtime, env.sampleRate) : { gapFrames: 0, crossfadeFrames: 0, countIn: false };
  return handOver ? armNextCommand(runtime.instance, handOver) : null;
}

/** Does the current song hand over to the next by itself (auto-advance on, its transition not `stop`)? */
const continues = (env: EngineEnv, current: SongActor | null): boolean => env.settings.autoAdvance && (current === null || runtimeOf(current).spec.transition?.kind !== 'stop');

/** The machine's types, actors and effect actions; the machine below adds the actions that orchestrate them. */
const engineEffects = setup({
  types: {
    context: {} as EngineContext,
    events: {} as EngineEvent,
    input: {} as EngineInput,
    emitted: {} as EngineEmitted,
  },
  actors: { song: songMachine },
  // Effects first (the mixer, the song's memory and the loader), so the orchestrating actions below
  // can enqueue them by name.
  actions: {
    /** Effect: a command to the mixer (every engine-to-mixer message goes through here). */
    postToMixer: ({ context }, params: { command: MixerCommand }) => context.env.mixer.post(params.command),
    /**
     * Effect: stops using a song — the mixer forgets it, its audio memory is freed, and it is
     * retired in the loader (loads withdrawn; closed later, see SongCloser) unless another live
     * instance plays the same song.
     */
    releaseSong: ({ context }, params: { actor: SongActor; live: readonly (SongActor | null)[] }) => {
      const env = context.env;
      const runtime = runtimeOf(params.actor);
      if (runtime.registered) env.mixer.post(unregisterCommand(runtime.instance));
      runtime.release();
      env.songs.delete(runtime.instance);
      const shared = params.live.some((other) => other !== null && other !== params.actor && runtimeOf(other).spec.id === runtime.spec.id);
      if (!shared) env.closer.retire(runtime.spec.id);
    },
  },
});

/**
 * The root actor (`systemId: 'engine'`): the setlist, the current song, the preloaded next song,
 * settings and feature flags. It turns the performer's commands into song actors (spawned with
 * the system id `song:<id>`), preloads the next song at 80 % of the current one, continues into it
 * with no gap (auto-advance) or arms it for PLAY, fades the current song out over 20 ms on a random
 * song jump, and retires replaced songs once the mixer has let go of them.
 */
export const engineMachine = engineEffects.extend({
  actions: {
    loadSetlist: assign(({ event }) => {
      assertEvent(event, 'ENGINE.LOAD_SETLIST');
      return { setlist: event.setlist, currentIndex: -1 };
    }),
    /** Stops every song now (STOP, or a new setlist). */
    stopAll: engineEffects.enqueueActions(({ context, enqueue }) => {
      enqueue({ type: 'postToMixer', params: { command: stopCommand() } });
      for (const actor of [context.current, context.next, ...context.retiring]) {
        if (!actor) continue;
        enqueue.stopChild(actor);
        enqueue({ type: 'releaseSong', params: { actor, live: [] } });
      }
      enqueue.assign({ current: null, next: null, retiring: [], wantsPlay: false });
    }),
    /**
     * After LOAD_SETLIST or STOP: the song PLAY would start (the setlist's current one, or its
     * first) and the one after it are loaded now, at idle priority, so PLAY sounds at once (a
     * performer loads the setlist once and presses play many times).
     */
    prepareSongs: engineEffects.enqueueActions(({ context, enqueue }) => {
      const env = context.env;
      const songs = context.setlist?.songs ?? [];
      // Only streaming prepares: the legacy path would decode two songs whole, seconds and gigabytes early.
      if (!env.settings.streamingEnabled || context.current || context.wantsPlay || context.retiring.length > 0 || songs.length === 0) return;
      const index = Math.min(songs.length - 1, Math.max(0, context.currentIndex));
      const first = songOptions(env, songs[index]);
      enqueue.assign({ current: ({ spawn }) => spawn('song', first), currentIndex: index });
      const second = songs[index + 1] ? songOptions(env, songs[index + 1]) : null;
      if (!context.next && second) enqueue.assign({ next: ({ spawn }) => spawn('song', second) });
      enqueue.raise({ type: 'ENGINE.PREPARED_SPAWNED' });
    }),
    /** Registers the prepared songs and preloads them. */
    preloadPrepared: engineEffects.enqueueActions(({ context, enqueue }) => {
      for (const actor of [context.current, context.next]) {
        if (!actor || actor.getSnapshot().value !== 'idle') continue;
        const runtime = runtimeOf(actor);
        context.env.register(runtime);
        context.env.closer.reopen(runtime.spec.id);
        enqueue.sendTo(actor, { type: 'SONG.PRELOAD' });
      }
    }),
    /**
     * Makes `songId` the current song: promotes the preloaded next song when it is that one,
     * otherwise spawns it; the song playing until now fades out and retires.
     */
    playSong: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'ENGINE.PLAY_SONG');
      const env = context.env;
      const songId = event.songId;
      const index = songIndex(context.setlist, songId);
      if (!context.setlist || index < 0) {
        const message = `no song "${songId}" in the setlist${context.setlist ? ` (songs: ${context.setlist.songs.map((s) => s.id).join(', ')})` : ' (load a setlist first)'}`;
        env.logger.warn(`Engine: ${message}`);
        enqueue.emit({ type: 'engine.error', message });
        return;
      }
      const spec = context.setlist.songs[index];
      const retiring = [...context.retiring];
      // The song sounding now fades out (20 ms by default) while the new one primes.
      enqueue({ type: 'postToMixer', params: { command: fadeOutCommand(secondsToFrames(env.settings.songJumpFadeMs / 1000, env.sampleRate)) } });
      const sounding = env.mixer.status().playing;
      let next = context.next;
      let current: SongActor | null = null;
      if (context.current && !context.wantsPlay && runtimeOf(context.current).spec.id === spec.id && env.mixer.status().currentSong !== runtimeOf(context.current).instance) {
        // The prepared song (loaded while nothing played): it plays now.
        current = context.current;
      } else if (next && runtimeOf(next).spec.id === spec.id) {
        current = next;
        next = null;
      }
      // A prepared or preloaded song that follows the new one stays the next song.
      const following = context.setlist.songs[index + 1];
      const keepNext = next && following && runtimeOf(next).spec.id === following.id ? next : null;
      for (const old of [context.current, next]) {
        if (!old || old === current || old === keepNext) continue;
        if (runtimeOf(old).spec.id === spec.id || !sounding || old === next) {
          // Not sounding (or the same song again, whose system id must be free): release now.
          enqueue.stopChild(old);
          enqueue({ type: 'releaseSong', params: { actor: old, live: [current, ...retiring] } });
        } else {
          retiring.push(old);
        }
      }
      next = keepNext;
      for (const old of retiring.filter((a) => runtimeOf(a).spec.id === spec.id)) {
        enqueue.stopChild(old);
        enqueue({ type: 'releaseSong', params: { actor: old, live: [current] } });
        retiring.splice(retiring.indexOf(old), 1);
      }
      if (!current) {
        const options = songOptions(env, spec);
        enqueue.assign({ current: ({ spawn }) => spawn('song', options) });
      } else {
        enqueue.assign({ current });
      }
      enqueue.assign({ currentIndex: index, next, retiring, wantsPlay: true });
      enqueue.raise({ type: 'ENGINE.CURRENT_SPAWNED' });
    }),
    /** Registers the current song's runtime and starts loading it (or plays it if already loaded). */
    loadCurrent: engineEffects.enqueueActions(({ context, enqueue }) => {
      const current = context.current;
      if (!current) return;
      const runtime = runtimeOf(current);
      context.env.register(runtime);
      context.env.closer.reopen(runtime.spec.id);
      runtime.metrics.playRequestedAt = context.env.clock.now();
      runtime.metrics.firstAudioMs = null;
      context.env.logger.info(`Engine: play ${runtime.spec.id} (${runtime.stems.length} stems)`);
      const state = current.getSnapshot().value;
      if (state === 'ready') enqueue.sendTo(current, { type: 'SONG.PLAY' });
      else enqueue.sendTo(current, { type: 'SONG.LOAD' });
    }),
    play: engineEffects.enqueueActions(({ context, enqueue }) => {
      if (context.current) enqueue.sendTo(context.current, { type: 'SONG.PLAY' });
      enqueue.assign({ wantsPlay: true });
    }),
    pause: engineEffects.enqueueActions(({ context, enqueue }) => {
      if (context.current) enqueue.sendTo(context.current, { type: 'SONG.PAUSE' });
      enqueue.assign({ wantsPlay: false });
    }),
    seek: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'ENGINE.SEEK');
      if (context.current) enqueue.sendTo(context.current, { type: 'SONG.SEEK', seconds: event.seconds, requestedAt: context.env.clock.now() });
    }),
    /** Jumps, loops: the current song's (its jump and loop actors work them out on its timeline). */
    navigate: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['ENGINE.JUMP', 'ENGINE.CANCEL_JUMP', 'ENGINE.LOOP', 'ENGINE.RELEASE_LOOP']);
      const current = context.current;
      if (!current) return;
      if (event.type === 'ENGINE.JUMP') enqueue.sendTo(current, { type: 'SONG.JUMP', to: event.to, when: event.when, requestedAt: context.env.clock.now() });
      else if (event.type === 'ENGINE.CANCEL_JUMP') enqueue.sendTo(current, { type: 'SONG.CANCEL_JUMP' });
      else if (event.type === 'ENGINE.LOOP') enqueue.sendTo(current, { type: 'SONG.LOOP', request: event.loop });
      else enqueue.sendTo(current, { type: 'SONG.RELEASE_LOOP', when: event.when });
    }),
    /**
     * Re-arms the journaled song after a crash: loaded at the journaled bar with the journaled mix
     * and loop (the song actor applies them once its stems are open), playing or paused as asked.
     */
    resume: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'ENGINE.RESUME');
      const env = context.env;
      const index = songIndex(context.setlist, event.journal.song);
      if (!context.setlist || index < 0) {
        const message = `cannot resume: no song "${event.journal.song}" in the setlist${context.setlist ? '' : ' (load a setlist first)'}`;
        env.logger.warn(`Engine: ${message}`);
        enqueue.emit({ type: 'engine.error', message });
        return;
      }
      const spec = context.setlist.songs[index];
      env.logger.info(`Engine: resuming ${spec.id} from frame ${event.journal.position.frame} (${event.play ? 'playing' : 'paused'})`);
      // The songs prepared while nothing played (the setlist's first ones) give way to the resumed one.
      for (const old of [context.current, context.next]) {
        if (!old) continue;
        enqueue.stopChild(old);
        enqueue({ type: 'releaseSong', params: { actor: old, live: [] } });
      }
      const options = songOptions(env, spec);
      const input = { ...options.input, resume: event.journal };
      enqueue.assign({
        current: ({ spawn }) => spawn('song', { ...options, input }),
        currentIndex: index,
        next: null,
        wantsPlay: event.play,
      });
      enqueue.raise({ type: 'ENGINE.CURRENT_SPAWNED' });
    }),
    setStem: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'ENGINE.SET_STEM');
      const { type: _type, ...change } = event;
      if (context.current) enqueue.sendTo(context.current, { type: 'SONG.SET_STEM', ...change });
    }),
    setSettings: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'ENGINE.SET_SETTINGS');
      const env = context.env;
      let settings: EngineSettings;
      try {
        settings = mergeSettings(context.settings, event.settings);
      } catch (error) {
        env.logger.error(`Engine: ${reasonOf(error)}`);
        enqueue.emit({ type: 'engine.error', message: reasonOf(error) });
        return;
      }
      const loaderChanges = LOADER_SETTINGS.filter((key) => settings[key] !== context.settings[key]);
      if (loaderChanges.length > 0) env.logger.info(`Engine: ${loaderChanges.join(', ')} apply to chunk loaders started from now on`);
      env.settings = settings;
      enqueue.assign({ settings });
      const next = context.next;
      const arm = next && next.getSnapshot().value === 'ready' ? armCommand(env, context.current, next) : null;
      enqueue({ type: 'postToMixer', params: { command: arm ?? armNextCommand(NO_SONG) } });
    }),
    /** A song finished loading: play it (current) or arm it for a gapless continuation (next). */
    songReady: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SONG.READY');
      const actor = find(context, event.instance);
      if (!actor) return;
      const runtime = runtimeOf(actor);
      enqueue.emit({ type: 'song.ready', songId: runtime.spec.id, instance: runtime.instance });
      if (actor === context.current && context.wantsPlay) enqueue.sendTo(actor, { type: 'SONG.PLAY' });
      if (actor === context.next) {
        const env = context.env;
        const arm = armCommand(env, context.current, actor);
        if (arm) enqueue({ type: 'postToMixer', params: { command: arm } });
        // Plan Flow 4: make sure the next song's first minute is cached before the current one ends.
        enqueue.sendTo(actor, { type: 'SONG.WARM_CACHE', chunks: Math.ceil(env.settings.preloadCacheSeconds / env.settings.chunkSeconds) });
      }
    }),
    /** The current song passed the preload point: load the next one at idle priority. */
    preloadNext: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MIXER.PRELOAD_POINT');
      const env = context.env;
      const current = context.current;
      if (!current || runtimeOf(current).instance !== event.instance || context.next || !context.setlist) return;
      const spec = context.setlist.songs[context.currentIndex + 1];
      if (!spec) return;
      env.logger.info(`Engine: ${runtimeOf(current).spec.id} passed ${Math.round(env.settings.preloadAtFraction * 100)} %, preloading ${spec.id}`);
      const options = songOptions(env, spec);
      enqueue.assign({ next: ({ spawn }) => spawn('song', options) });
      enqueue.raise({ type: 'ENGINE.NEXT_SPAWNED' });
    }),
    registerNext: engineEffects.enqueueActions(({ context, enqueue }) => {
      const next = context.next;
      if (!next) return;
      const runtime = runtimeOf(next);
      context.env.register(runtime);
      context.env.closer.reopen(runtime.spec.id);
      enqueue.sendTo(next, { type: 'SONG.PRELOAD' });
    }),
    songStarted: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MIXER.SONG_STARTED');
      const actor = find(context, event.instance);
      if (!actor) return;
      const runtime = runtimeOf(actor);
      if (event.transition) runtime.metrics.transitionGapFrames = event.gapFrames;
      enqueue.emit({ type: 'song.started', songId: runtime.spec.id, instance: runtime.instance });
    }),
    /** The mixer played the current song's last frame. */
    songEnded: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MIXER.SONG_ENDED');
      const env = context.env;
      const current = context.current;
      if (!current || runtimeOf(current).instance !== event.instance) return;
      enqueue.sendTo(current, { type: 'MIXER.ENDED' });
      const runtime = runtimeOf(current);
      enqueue.emit({ type: 'song.ended', songId: runtime.spec.id, instance: runtime.instance });
      const next = context.next;
      const followingSpec = context.setlist?.songs[context.currentIndex + 1];
      const advance = continues(env, current);
      if (event.fading) {
        // A crossfade began: the song keeps sounding under the next one until the mixer releases it.
        enqueue.assign({ retiring: [...context.retiring, current] });
      } else {
        enqueue.stopChild(current);
        enqueue({ type: 'releaseSong', params: { actor: current, live: [next] } });
      }
      if (next) {
        // Promote the preloaded song: with auto-advance the mixer already continued into it; with a
        // `stop` transition (or auto-advance off) it waits, armed, for PLAY.
        const nextRuntime = runtimeOf(next);
        nextRuntime.metrics.playRequestedAt = env.clock.now();
        enqueue.assign({ current: next, next: null, currentIndex: context.currentIndex + 1, wantsPlay: advance });
        if (advance) enqueue.sendTo(next, { type: 'SONG.PLAY' });
        if (advance && next.getSnapshot().value !== 'ready') enqueue.sendTo(next, { type: 'SONG.LOAD' });
      } else if (followingSpec && advance) {
        // Not preloaded in time (a short song, or preloading failed): load it now; the gap is counted.
        enqueue.assign({ current: null });
        enqueue.raise({ type: 'ENGINE.PLAY_SONG', songId: followingSpec.id });
      } else {
        enqueue.assign({ current: null, wantsPlay: false });
        if (!followingSpec) {
          env.logger.info('Engine: end of the setlist');
          enqueue.emit({ type: 'setlist.ended' });
        }
      }
    }),
    songReleased: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MIXER.SONG_RELEASED');
      const actor = context.retiring.find((a) => runtimeOf(a).instance === event.instance);
      if (!actor) return;
      enqueue.stopChild(actor);
      enqueue({ type: 'releaseSong', params: { actor, live: [context.current, context.next] } });
      enqueue.assign({ retiring: context.retiring.filter((a) => a !== actor) });
    }),
    songFailed: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SONG.FAILED');
      const actor = find(context, event.instance);
      if (!actor) return;
      const runtime = runtimeOf(actor);
      enqueue.emit({ type: 'song.failed', songId: runtime.spec.id, instance: runtime.instance, reason: event.reason });
      enqueue.assign({ lastError: event.reason });
      if (actor === context.next) {
        enqueue.stopChild(actor);
        enqueue({ type: 'releaseSong', params: { actor, live: [context.current] } });
        enqueue.assign({ next: null });
      }
    }),
    legacyProgress: engineEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SONG.LEGACY_PROGRESS');
      const actor = find(context, event.instance);
      if (actor) enqueue.emit({ type: 'legacy.progress', songId: runtimeOf(actor).spec.id, progress: event.progress });
    }),
  },
  guards: {
    hasSetlist: ({ context }) => context.setlist !== null && context.setlist.songs.length > 0,
    hasCurrent: ({ context }) => context.current !== null,
  },
}).createMachine({
  id: 'engine',
  context: ({ input }) => ({
    env: input.env,
    setlist: input.setlist ?? null,
    currentIndex: -1,
    current: null,
    next: null,
    retiring: [],
    wantsPlay: false,
    settings: input.env.settings,
    lastError: null,
  }),
  initial: 'noSetlist',
  on: {
    'ENGINE.LOAD_SETLIST': { target: '.stopped', actions: ['stopAll', 'loadSetlist', 'prepareSongs'] },
    'ENGINE.CLOSE': { target: '.closed', actions: 'stopAll' },
    'ENGINE.SET_SETTINGS': { actions: 'setSettings' },
    'SONG.READY': { actions: 'songReady' },
    'SONG.FAILED': { actions: 'songFailed' },
    'SONG.LEGACY_PROGRESS': { actions: 'legacyProgress' },
    'SONG.SEEK_REJECTED': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const actor = find(context, event.instance);
        if (actor) enqueue.emit({ type: 'seek.rejected', songId: runtimeOf(actor).spec.id, reason: event.reason });
      }),
    },
    'SONG.JUMP_REJECTED': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const actor = find(context, event.instance);
        if (actor) enqueue.emit({ type: 'jump.rejected', songId: runtimeOf(actor).spec.id, reason: event.reason });
      }),
    },
    'SONG.LOOP_REJECTED': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const actor = find(context, event.instance);
        if (actor) enqueue.emit({ type: 'loop.rejected', songId: runtimeOf(actor).spec.id, reason: event.reason });
      }),
    },
    'MIXER.SONG_STARTED': { actions: 'songStarted' },
    'MIXER.SONG_RELEASED': { actions: 'songReleased' },
    'ENGINE.CURRENT_SPAWNED': { actions: 'loadCurrent' },
    'ENGINE.NEXT_SPAWNED': { actions: 'registerNext' },
    'ENGINE.PREPARED_SPAWNED': { actions: 'preloadPrepared' },
  },
  states: {
    noSetlist: {
      always: { guard: 'hasSetlist', target: 'stopped', actions: 'prepareSongs' },
    },
    /** A setlist, nothing playing (after LOAD_SETLIST or STOP, the songs PLAY would start are prepared). */
    stopped: {
      on: {
        'ENGINE.PLAY_SONG': { target: 'active', actions: 'playSong' },
        'ENGINE.RESUME': { target: 'active', actions: 'resume' },
        'ENGINE.PLAY': {
          guard: 'hasSetlist',
          target: 'active',
          actions: enqueueActions(({ context, enqueue }) => {
            const spec = context.setlist?.songs[Math.max(0, context.currentIndex)];
            if (spec) enqueue.raise({ type: 'ENGINE.PLAY_SONG', songId: spec.id });
          }),
        },
      },
    },
    /** Closed: every song stopped, none prepared again. */
    closed: {},
    /** A current song (loading, playing or paused). */
    active: {
      always: { guard: ({ context }) => context.current === null && context.retiring.length === 0 && !context.wantsPlay, target: 'stopped' },
      on: {
        'ENGINE.PLAY_SONG': { actions: 'playSong' },
        'ENGINE.PLAY': { actions: 'play' },
        'ENGINE.PAUSE': { actions: 'pause' },
        'ENGINE.STOP': { target: 'stopped', actions: ['stopAll', 'prepareSongs'] },
        'ENGINE.SEEK': { actions: 'seek' },
        'ENGINE.SET_STEM': { actions: 'setStem' },
        'ENGINE.JUMP': { actions: 'navigate' },
        'ENGINE.CANCEL_JUMP': { actions: 'navigate' },
        'ENGINE.LOOP': { actions: 'navigate' },
        'ENGINE.RELEASE_LOOP': { actions: 'navigate' },
        'ENGINE.NEXT': {
          actions: enqueueActions(({ context, enqueue }) => {
            const spec = context.setlist?.songs[context.currentIndex + 1];
            if (spec) enqueue.raise({ type: 'ENGINE.PLAY_SONG', songId: spec.id });
            else context.env.logger.info('Engine: NEXT at the last song of the setlist; ignored');
          }),
        },
        'ENGINE.PREVIOUS': {
          actions: enqueueActions(({ context, enqueue }) => {
            const spec = context.setlist?.songs[Math.max(0, context.currentIndex - 1)];
            if (spec) enqueue.raise({ type: 'ENGINE.PLAY_SONG', songId: spec.id });
          }),
        },
        'MIXER.PRELOAD_POINT': { actions: 'preloadNext' },
        'MIXER.SONG_ENDED': { actions: 'songEnded' },
      },
    },
  },
});

export type EngineActor = ActorRefFrom<typeof engineMachine>;
