import { assertEvent, assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ActorRefFrom, AnyActorRef } from 'xstate';
import { reasonOf } from '../errors.js';
import type { Priority } from '../ports/ChunkSource.js';
import type { EngineEnv } from '../runtime/EngineEnv.js';
import type { SongRuntime } from '../runtime/SongRuntime.js';
import type { StemRuntime } from '../runtime/StemRuntime.js';
import { fillWindow, planFill } from '../runtime/fillPlan.js';
import type { FrameRange, PlannedRequest } from '../runtime/fillPlan.js';
import { secondsToFrames } from '../units.js';
import type { Frames } from '../units.js';
import { chunkFetcher } from './actors/chunkFetcher.js';
import type { FetchPurpose, FetchRequest, FetcherReply } from './actors/chunkFetcher.js';

export interface StemLoaderInput {
  readonly env: EngineEnv;
  readonly song: SongRuntime;
  readonly stem: StemRuntime;
}

/** A seek this stem is loading for: the song's seek actor waits for its reply. */
interface PendingSeek {
  readonly seekId: number;
  readonly set: number;
  readonly target: Frames;
  readonly replyTo: AnyActorRef;
}

export interface StemLoaderContext {
  readonly env: EngineEnv;
  readonly song: SongRuntime;
  readonly stem: StemRuntime;
  /** idle while the song is only being preloaded; urgent once it is to play. */
  readonly firstPriority: Priority;
  /** The playing position (of the active set), as last told. */
  readonly position: Frames;
  readonly inFlight: readonly FetchRequest[];
  /** Per buffer set: bumped when the set is cleared, so older deliveries are dropped. */
  readonly generations: readonly number[];
  readonly nextRequestId: number;
  /** Terminal load errors per chunk index, in a row (a delivery of the chunk resets its count). */
  readonly failures: Readonly<Record<number, number>>;
  readonly lastError: string | null;
  readonly seek: PendingSeek | null;
  /** Quanta this stem spent starved, as counted when it was told (mixer counts them). */
  readonly starvedEpisodes: number;
}

export type StemLoaderEvent =
  | { type: 'STEM.PRIME'; priority: Priority }
  | { type: 'STEM.PLAYHEAD'; position: Frames }
  | { type: 'STEM.STARVED' }
  | { type: 'STEM.FED' }
  | { type: 'STEM.SEEK_LOAD'; seekId: number; set: number; target: Frames; replyTo: AnyActorRef }
  | { type: 'STEM.SEEK_CANCEL'; seekId: number }
  | { type: 'STEM.SET_ACTIVE'; set: number; position: Frames }
  | { type: 'STEM.WARM_CACHE'; chunks: number }
  | FetcherReply;

/** What a stem loader tells its song. */
export type StemLoaderOutput =
  | { type: 'STEM.PRIMED'; stem: number }
  | { type: 'STEM.FAILED'; stem: number; reason: string };

const firstFrames = (c: StemLoaderContext): Frames => secondsToFrames(c.env.settings.firstAudioSeconds, c.env.sampleRate);

/** Requests for `set` from `position`, not yet asked for. */
function plan(c: StemLoaderContext, set: number, position: Frames, withFirstSlice: boolean, firstPriority: Priority): PlannedRequest[] {
  const info = c.stem.info;
  const buffer = c.stem.buffers[set];
  if (!info || !buffer) return [];
  const settings = c.env.settings;
  return planFill(
    { totalFrames: info.totalFrames, chunkFrames: info.chunkFrames, bufferChunks: settings.bufferChunks, cacheChunks: settings.cacheEnabled ? settings.cacheFirstChunks : 0 },
    {
      position,
      firstFrames: withFirstSlice ? firstFrames(c) : 0,
      firstPriority,
      restPriority: firstPriority === 'idle' ? 'idle' : 'normal',
      gaps: (from, to) => buffer.gaps(from, to),
      inFlight: c.inFlight.filter((r) => r.set === set && r.purpose === 'fill').map((r): FrameRange => [r.start, r.end]),
    },
  );
}

/** The plan's DEBUG lines for what is asked (refills, urgent seek targets). */
function logRequests(c: StemLoaderContext, sent: readonly FetchRequest[]): void {
  for (const r of sent) {
    const what = typeof r.span === 'number' ? `chunk #${r.span}` : `frames ${r.start}+${r.end - r.start}`;
    const why = r.purpose === 'warm' ? 'Cache warm-up' : r.set !== c.song.activeSet ? 'Urgent seek request' : r.priority === 'urgent' ? 'First-audio request' : 'Refill needed';
    c.env.logger.debug(`StemLoader: ${why} for ${c.stem.ref.song}/${c.stem.ref.stem}, requesting ${what} (${r.priority})`);
  }
}

/** Turns planned requests into fetch requests (context updates + messages to the fetcher). */
function issue(c: StemLoaderContext, set: number, planned: readonly PlannedRequest[], purpose: FetchPurpose = 'fill'): { inFlight: FetchRequest[]; nextRequestId: number; sent: FetchRequest[] } {
  let id = c.nextRequestId;
  const sent = planned.map((p): FetchRequest => ({ id: id++, set, generation: c.generations[set], span: p.span, start: p.start, end: p.end, priority: p.priority, purpose }));
  return { inFlight: [...c.inFlight, ...sent], nextRequestId: id, sent };
}

/**
 * What to ask for now: the pending seek's target (urgent, with its first slice) and the active
 * set's window from the play position. Idempotent: anything held or in flight is not asked again.
 */
function fillAll(c: StemLoaderContext, activeFirstSlice: boolean): { inFlight: FetchRequest[]; nextRequestId: number; sent: FetchRequest[] } {
  let current = c;
  const sent: FetchRequest[] = [];
  if (c.seek && c.seek.set !== c.song.activeSet) {
    const target = issue(current, c.seek.set, plan(current, c.seek.set, c.seek.target, true, 'urgent'));
    current = { ...current, inFlight: target.inFlight, nextRequestId: target.nextRequestId };
    sent.push(...target.sent);
  }
  // While a seek loads elsewhere, the playing position lives on what it holds (seconds ahead):
  // refilling it would only compete with the seek's urgent slices.
  if (c.seek && c.seek.set !== c.song.activeSet) return { inFlight: [...current.inFlight], nextRequestId: current.nextRequestId, sent };
  const active = issue(current, c.song.activeSet, plan(current, c.song.activeSet, c.position, activeFirstSlice, c.firstPriority));
  sent.push(...active.sent);
  return { inFlight: active.inFlight, nextRequestId: active.nextRequestId, sent };
}

/** Does `set` hold the first-audio slice at `position` (clipped to the stem)? */
function holdsFirstSlice(c: StemLoaderContext, set: number, position: Frames): boolean {
  const info = c.stem.info;
  if (!info || position >= info.totalFrames) return true;
  return c.stem.buffers[set].framesAvailableAt(position) >= Math.min(firstFrames(c), info.totalFrames - position);
}

/** Withdraws every request of the stem (the loader cancels per stem) when `needed`. */
function withdrawIf(c: StemLoaderContext, needed: boolean): StemLoaderContext {
  if (!needed) return c;
  c.env.loader.cancel({ song: c.stem.ref.song, stem: c.stem.ref.stem });
  return { ...c, inFlight: [] };
}

/** Empties a (non-playing) set and bumps its generation so late deliveries for it are dropped. */
function emptySet(c: StemLoaderContext, set: number): StemLoaderContext {
  c.stem.buffers[set].clear();
  return { ...c, generations: c.generations.map((g, i) => (i === set ? g + 1 : g)) };
}

/** The chunk a request falls in. */
function chunkOfRequest(c: StemLoaderContext, request: FetchRequest): number {
  return Math.floor(request.start / (c.stem.info?.chunkFrames ?? 1));
}

/** A failure that matters: of a buffer fill still wanted (not a stale one, not cache warming). */
function failureCounts(c: StemLoaderContext, request: FetchRequest): boolean {
  return request.purpose === 'fill' && request.generation === c.generations[request.set];
}

/**
 * One stem of one song: keeps its buffers filled ahead of the play position and loads seek
 * targets. idle → loading (first-audio slice) → buffered ⇄ refilling; `starved` while the mixer
 * finds no data at the play position; `retrying` after a terminal load error; `failed` after
 * `maxLoadFailures` of them in a row (the song then falls back to legacy or fails).
 *
 * Refill rule (plan "Buffer Refill Logic"): the window is [N, N + bufferChunks − 1] for the chunk
 * N being played, so entering chunk N+1 asks for chunk N+bufferChunks and drops chunk N.
 */
export const stemLoaderMachine = setup({
  types: {
    context: {} as StemLoaderContext,
    events: {} as StemLoaderEvent,
    input: {} as StemLoaderInput,
  },
  actors: { chunkFetcher },
  actions: {
    /** Asks for what the active set lacks from the play position (with a first slice when asked), and for a pending seek's target. */
    fill: enqueueActions(({ context, enqueue }, params: { firstSlice: boolean }) => {
      const { inFlight, nextRequestId, sent } = fillAll(context, params.firstSlice);
      if (sent.length === 0) return;
      enqueue.assign({ inFlight, nextRequestId });
      logRequests(context, sent);
      for (const request of sent) enqueue.sendTo('fetcher', { type: 'FETCH.REQUEST', request });
    }),
    /** Priming (again): a preloaded stem that is to play now withdraws its idle requests and asks at play priorities. */
    prime: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'STEM.PRIME');
      const c = withdrawIf({ ...context, firstPriority: event.priority }, context.inFlight.length > 0 && event.priority !== context.firstPriority);
      const { inFlight, nextRequestId, sent } = fillAll(c, true);
      enqueue.assign({ firstPriority: event.priority, inFlight, nextRequestId });
      logRequests(context, sent);
      for (const request of sent) enqueue.sendTo('fetcher', { type: 'FETCH.REQUEST', request });
    }),
    store: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'FETCH.LOADED');
      const { request, chunk } = event;
      const failures = chunk.chunkIndex in context.failures ? Object.fromEntries(Object.entries(context.failures).filter(([k]) => Number(k) !== chunk.chunkIndex)) : context.failures;
      enqueue.assign({ inFlight: context.inFlight.filter((r) => r.id !== request.id), failures });
      const counters = context.stem.counters;
      if (chunk.from === 'cache') counters.fromCache++;
      else counters.decoded++;
      counters.bytesLoaded += chunk.frameCount * chunk.channelData.length * 4;
      const logger = context.env.logger;
      const message = `StemLoader: Loaded chunk #${chunk.chunkIndex} (frames ${chunk.startFrame}+${chunk.frameCount}) for ${context.stem.ref.song}/${context.stem.ref.stem} from ${chunk.from} in ${Math.round(chunk.timing.loadMs)}ms`;
      if (context.env.settings.logChunkLoads) logger.info(message, { purpose: request.purpose, priority: request.priority });
      else logger.debug(message, { purpose: request.purpose, priority: request.priority });
      if (request.purpose === 'warm' || request.generation !== context.generations[request.set]) return;
      context.stem.buffers[request.set].push(chunk.startFrame, chunk.channelData);
      context.song.metrics.observeBufferBytes(context.song.bufferBytes());
      context.env.changes.notify();
    }),
    forget: assign({
      inFlight: ({ context, event }) => {
        assertEvent(event, ['FETCH.CANCELLED', 'FETCH.FAILED']);
        return context.inFlight.filter((r) => r.id !== event.request.id);
      },
    }),
    countFailure: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'FETCH.FAILED');
      context.stem.counters.failures++;
      const reason = reasonOf(event.error);
      const chunk = chunkOfRequest(context, event.request);
      const count = (context.failures[chunk] ?? 0) + 1;
      context.env.logger.warn(`StemLoader: ${context.stem.ref.song}/${context.stem.ref.stem} chunk #${chunk} failed to load (${count} of ${context.env.settings.maxLoadFailures} tries): ${reason}`);
      enqueue.assign({ failures: { ...context.failures, [chunk]: count }, lastError: `chunk #${chunk}: ${reason}` });
    }),
    notifyPrimed: sendParent(({ context }): StemLoaderOutput => ({ type: 'STEM.PRIMED', stem: context.stem.index })),
    notifyFailed: enqueueActions(({ context, enqueue }) => {
      context.stem.failed = true;
      if (context.song.mix) context.env.mixer.post({ type: 'failStem', song: context.song.mix, stem: context.stem.index });
      enqueue.sendParent({ type: 'STEM.FAILED', stem: context.stem.index, reason: context.lastError ?? 'unknown error' } satisfies StemLoaderOutput);
    }),
    /** The play position entered another chunk: drop what is behind, then (next action) ask for what is ahead. */
    movePlayhead: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'STEM.PLAYHEAD');
      enqueue.assign({ position: event.position });
      const info = context.stem.info;
      const set = context.song.activeSet;
      // A set still read by a fading voice (a seek within the buffer) keeps its data until released.
      if (!info || context.song.fadingSets.has(set)) return;
      const settings = context.env.settings;
      const [from, to] = fillWindow(event.position, { totalFrames: info.totalFrames, chunkFrames: info.chunkFrames, bufferChunks: settings.bufferChunks, cacheChunks: 0 });
      context.stem.buffers[set].retain(from, to);
    }),
    loadSeek: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'STEM.SEEK_LOAD');
      const seek: PendingSeek = { seekId: event.seekId, set: event.set, target: event.target, replyTo: event.replyTo };
      let c: StemLoaderContext = { ...context, seek };
      if (event.set !== context.song.activeSet) {
        // Anything still coming for the target set belongs to an older seek, and the playing
        // position's refills would delay the target: withdraw both (the loader cancels per stem
        // and priority), keeping only urgent work for the playing position (its first slice).
        const moot = (r: FetchRequest) => r.set === event.set || r.priority !== 'urgent';
        if (context.inFlight.some(moot)) {
          const priorities = new Set(context.inFlight.filter(moot).map((r) => r.priority));
          if (context.inFlight.some((r) => r.set === event.set && r.priority === 'urgent')) priorities.add('urgent');
          for (const priority of priorities) context.env.loader.cancel({ song: context.stem.ref.song, stem: context.stem.ref.stem, priority });
          c = { ...c, inFlight: context.inFlight.filter((r) => !priorities.has(r.priority)) };
        }
        c = emptySet(c, event.set);
      }
      const { inFlight, nextRequestId, sent } = fillAll(c, false);
      enqueue.assign({ seek, inFlight, nextRequestId, generations: c.generations });
      logRequests(context, sent);
      for (const request of sent) enqueue.sendTo('fetcher', { type: 'FETCH.REQUEST', request });
    }),
    /** A newer seek superseded this one (or the song stopped): drop its target's audio and loads. */
    cancelSeek: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'STEM.SEEK_CANCEL');
      const seek = context.seek;
      if (seek?.seekId !== event.seekId) return;
      let c: StemLoaderContext = { ...context, seek: null };
      if (seek.set !== context.song.activeSet) {
        c = withdrawIf(c, context.inFlight.some((r) => r.set === seek.set));
        c = emptySet(c, seek.set);
      }
      const { inFlight, nextRequestId, sent } = fillAll(c, false);
      enqueue.assign({ seek: null, inFlight, nextRequestId, generations: c.generations });
      logRequests(context, sent);
      for (const request of sent) enqueue.sendTo('fetcher', { type: 'FETCH.REQUEST', request });
    }),
    /** Replies to the seek actor once the target slice is in its set. */
    replySeekReady: enqueueActions(({ context, enqueue }) => {
      const seek = context.seek;
      if (!seek || !holdsFirstSlice(context, seek.set, seek.target)) return;
      enqueue.sendTo(seek.replyTo, { type: 'SEEK.STEM_READY', seekId: seek.seekId, stem: context.stem.index });
      enqueue.assign({ seek: null });
    }),
    /** The seek landed: the new set plays from `position`; what was coming for the old one is moot. */
    activate: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'STEM.SET_ACTIVE');
      const info = context.stem.info;
      if (info && !context.song.fadingSets.has(event.set)) {
        const window = fillWindow(event.position, { totalFrames: info.totalFrames, chunkFrames: info.chunkFrames, bufferChunks: context.env.settings.bufferChunks, cacheChunks: 0 });
        context.stem.buffers[event.set].retain(window[0], window[1]);
      }
      let c: StemLoaderContext = { ...context, position: event.position };
      c = withdrawIf(c, context.inFlight.some((r) => r.set !== event.set && r.purpose === 'fill'));
      const { inFlight, nextRequestId, sent } = fillAll(c, false);
      enqueue.assign({ position: event.position, inFlight, nextRequestId });
      logRequests(context, sent);
      for (const request of sent) enqueue.sendTo('fetcher', { type: 'FETCH.REQUEST', request });
    }),
    /** Preloading: ask (at idle) for the first `chunks` chunks so the loader caches them; the audio is dropped. */
    warmCache: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'STEM.WARM_CACHE');
      const info = context.stem.info;
      const settings = context.env.settings;
      if (!info || !settings.cacheEnabled) return;
      const last = Math.min(event.chunks, info.totalChunks, settings.cacheFirstChunks);
      const planned: PlannedRequest[] = [];
      for (let chunk = settings.bufferChunks; chunk < last; chunk++) {
        planned.push({ span: chunk, start: chunk * info.chunkFrames, end: Math.min(info.totalFrames, (chunk + 1) * info.chunkFrames), priority: 'idle' });
      }
      const { inFlight, nextRequestId, sent } = issue(context, context.song.activeSet, planned, 'warm');
      enqueue.assign({ inFlight, nextRequestId });
      logRequests(context, sent);
      for (const request of sent) enqueue.sendTo('fetcher', { type: 'FETCH.REQUEST', request });
    }),
    countStarved: assign({ starvedEpisodes: ({ context }) => context.starvedEpisodes + 1 }),
  },
  guards: {
    primed: ({ context }) => holdsFirstSlice(context, context.song.activeSet, context.position),
    fillPending: ({ context }) => context.inFlight.some((r) => r.purpose === 'fill' && r.set === context.song.activeSet),
    fillDone: ({ context }) => !context.inFlight.some((r) => r.purpose === 'fill' && r.set === context.song.activeSet),
    countsAsFailure: ({ context, event }) => {
      assertEvent(event, 'FETCH.FAILED');
      return failureCounts(context, event.request);
    },
    tooManyFailures: ({ context, event }) => {
      assertEvent(event, 'FETCH.FAILED');
      return failureCounts(context, event.request) && (context.failures[chunkOfRequest(context, event.request)] ?? 0) + 1 >= context.env.settings.maxLoadFailures;
    },
  },
  delays: {
    retryDelay: ({ context }) => context.env.settings.loadRetryDelayMs,
  },
}).createMachine({
  id: 'stemLoader',
  context: ({ input }) => ({
    env: input.env,
    song: input.song,
    stem: input.stem,
    firstPriority: 'urgent',
    position: 0,
    inFlight: [],
    generations: [0, 0, 0],
    nextRequestId: 1,
    failures: {},
    lastError: null,
    seek: null,
    starvedEpisodes: 0,
  }),
  invoke: {
    id: 'fetcher',
    src: 'chunkFetcher',
    input: ({ context }) => ({ loader: context.env.loader, ref: context.stem.ref }),
  },
  initial: 'idle',
  on: {
    'FETCH.LOADED': { actions: ['store', 'replySeekReady'] },
    'FETCH.CANCELLED': { actions: 'forget' },
    'FETCH.FAILED': [
      { guard: 'tooManyFailures', target: '.failed', actions: ['forget', 'countFailure'] },
      { guard: 'countsAsFailure', target: '.retrying', actions: ['forget', 'countFailure'] },
      { actions: 'forget' },
    ],
    'STEM.PRIME': { actions: 'prime' },
    'STEM.PLAYHEAD': { actions: ['movePlayhead', { type: 'fill', params: { firstSlice: false } }] },
    'STEM.SEEK_LOAD': { actions: ['loadSeek', 'replySeekReady'] },
    'STEM.SEEK_CANCEL': { actions: 'cancelSeek' },
    'STEM.SET_ACTIVE': { actions: 'activate' },
    'STEM.WARM_CACHE': { actions: 'warmCache' },
  },
  states: {
    idle: {
      on: { 'STEM.PRIME': { target: 'loading', actions: 'prime' } },
    },
    /** Waiting for the first-audio slice. */
    loading: {
      always: { guard: 'primed', target: 'buffered', actions: 'notifyPrimed' },
      on: {
        'FETCH.FAILED': [
          { guard: 'tooManyFailures', target: 'failed', actions: ['forget', 'countFailure'] },
          { guard: 'countsAsFailure', target: 'retryingFirst', actions: ['forget', 'countFailure'] },
          { actions: 'forget' },
        ],
      },
    },
    retryingFirst: {
      after: { retryDelay: { target: 'loading', actions: { type: 'fill', params: { firstSlice: true } } } },
    },
    buffered: {
      always: { guard: 'fillPending', target: 'refilling' },
      on: { 'STEM.STARVED': { target: 'starved', actions: 'countStarved' } },
    },
    refilling: {
      always: { guard: 'fillDone', target: 'buffered' },
      on: { 'STEM.STARVED': { target: 'starved', actions: 'countStarved' } },
    },
    /** The mixer finds no data at the play position while this stem is audible (each such quantum is an underrun). */
    starved: {
      on: { 'STEM.FED': { target: 'buffered' } },
    },
    retrying: {
      after: { retryDelay: { target: 'buffered', actions: { type: 'fill', params: { firstSlice: false } } } },
      on: { 'STEM.STARVED': { actions: 'countStarved' } },
    },
    failed: {
      type: 'final',
      entry: 'notifyFailed',
    },
  },
});

export type StemLoaderActor = ActorRefFrom<typeof stemLoaderMachine>;
