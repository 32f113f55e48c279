import { assertEvent, assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ActorRefFrom, AnyActorRef } from 'xstate';
import { reasonOf } from '../errors.js';
import type { Priority } from '../ports/ChunkSource.js';
import type { EngineEnv } from '../runtime/EngineEnv.js';
import type { SongRuntime } from '../runtime/SongRuntime.js';
import type { StemRuntime } from '../runtime/StemRuntime.js';
import { chunkOf } from '../runtime/fillPlan.js';
import type { PlannedRequest } from '../runtime/fillPlan.js';
import { bufferCapacityChunks, issueRequests, isWanted, keptRanges, planStemRequests, settleRequest } from '../runtime/stemRequests.js';
import type { FetchPurpose, FetchRequest, RequestBook, StemGeometry, StemPositions, WrappingLoop } from '../runtime/stemRequests.js';
import { secondsToFrames } from '../units.js';
import type { Frames } from '../units.js';
import { chunkFetcher } from './actors/chunkFetcher.js';
import type { FetcherReply } from './actors/chunkFetcher.js';

export interface StemLoaderInput {
  readonly env: EngineEnv;
  readonly song: SongRuntime;
  readonly stem: StemRuntime;
}

/** A seek this stem is loading for: the song's seek actor waits for its reply. */
interface PendingSeek {
  readonly seekId: number;
  readonly target: Frames;
  readonly replyTo: AnyActorRef;
  /** The target's first slice is in the buffer and the seek was told. */
  readonly replied: boolean;
}

/** A scheduled jump this stem loads the target of (by its landing): the song's jump actor waits for its reply. */
interface PendingJump {
  readonly jumpId: number;
  readonly landing: Frames;
  readonly target: Frames;
  readonly replyTo: AnyActorRef;
  readonly replied: boolean;
}

export interface StemLoaderContext {
  readonly env: EngineEnv;
  readonly song: SongRuntime;
  readonly stem: StemRuntime;
  /** idle while the song is only being preloaded; urgent once it is to play. */
  readonly firstPriority: Priority;
  /** The playing position (or where the song will start), as last told. */
  readonly position: Frames;
  readonly seek: PendingSeek | null;
  /** A jump waiting for its landing frame: the window runs to the landing, then from the target. */
  readonly jump: PendingJump | null;
  /** A loop the mixer wraps: the window runs to its end, then from its start. */
  readonly loop: WrappingLoop | null;
  /** A position still fading out after a seek landed, kept until the mixer releases it. */
  readonly fadingFrom: Frames | null;
  readonly book: RequestBook;
  /** Terminal load errors per chunk index, in a row (a delivery of the chunk resets its count). */
  readonly failures: Readonly<Record<number, number>>;
  readonly lastError: string | null;
  /** Times this stem was told it starved (the mixer counts the quanta). */
  readonly starvedEpisodes: number;
}

export type StemLoaderEvent =
  | { type: 'STEM.PRIME'; priority: Priority }
  | { type: 'STEM.PLAYHEAD'; position: Frames }
  | { type: 'STEM.STARVED' }
  | { type: 'STEM.FED' }
  | { type: 'STEM.SEEK_LOAD'; seekId: number; target: Frames; replyTo: AnyActorRef }
  | { type: 'STEM.SEEK_CANCEL'; seekId: number }
  | { type: 'STEM.SEEK_LANDED'; seekId: number; position: Frames; fadingFrom: Frames | null }
  | { type: 'STEM.FADE_RELEASED' }
  | { type: 'STEM.JUMP_LOAD'; jumpId: number; landing: Frames; target: Frames; position: Frames; replyTo: AnyActorRef }
  | { type: 'STEM.JUMP_CANCEL'; jumpId: number }
  | { type: 'STEM.JUMP_LANDED'; jumpId: number; position: Frames; fadingFrom: Frames | null }
  | { type: 'STEM.LOOP'; loop: WrappingLoop | null; position: Frames }
  | { type: 'STEM.WARM_CACHE'; chunks: number }
  | FetcherReply;

/** What a stem loader tells its song. */
export type StemLoaderOutput =
  | { type: 'STEM.PRIMED'; stem: number }
  | { type: 'STEM.FAILED'; stem: number; reason: string };

function geometry(c: StemLoaderContext): StemGeometry | null {
  const info = c.stem.info;
  if (!info) return null;
  const settings = c.env.settings;
  return {
    sampleRate: c.env.sampleRate,
    totalFrames: info.totalFrames,
    chunkFrames: info.chunkFrames,
    bufferChunks: settings.bufferChunks,
    capacityChunks: c.stem.buffer?.capacityChunks ?? bufferCapacityChunks(settings.bufferChunks),
    cacheChunks: settings.cacheEnabled ? settings.cacheFirstChunks : 0,
    firstFrames: secondsToFrames(settings.firstAudioSeconds, c.env.sampleRate),
    fadeFrames: secondsToFrames(settings.seekCrossfadeMs / 1000, c.env.sampleRate),
  };
}

const positions = (c: StemLoaderContext): StemPositions => ({
  position: c.position,
  seekTarget: c.seek ? c.seek.target : null,
  fadingFrom: c.fadingFrom,
  jump: c.jump ? { landing: c.jump.landing, target: c.jump.target } : null,
  loop: c.loop,
});

/** The ranges the stem's buffer keeps now. */
function kept(c: StemLoaderContext) {
  const g = geometry(c);
  return g ? keptRanges(g, positions(c)) : [];
}

/** Does the buffer hold the first-audio slice at `position` (clipped to the stem)? */
function holdsFirstSlice(c: StemLoaderContext, position: Frames): boolean {
  const g = geometry(c);
  const buffer = c.stem.buffer;
  if (!g || !buffer || position >= g.totalFrames) return true;
  return buffer.framesAvailableAt(position) >= Math.min(g.firstFrames, g.totalFrames - position);
}

/** The requests to make now (planned from the positions and what the buffer lacks) and the book with them. */
function plan(c: StemLoaderContext, firstSlice: boolean, purpose: FetchPurpose = 'fill', extra?: readonly PlannedRequest[]): { book: RequestBook; sent: FetchRequest[] } {
  const g = geometry(c);
  const buffer = c.stem.buffer;
  if (!g || !buffer) return { book: c.book, sent: [] };
  const now = c.env.clock.now();
  const planned = extra ?? planStemRequests(g, positions(c), c.book, { firstSlice, firstPriority: c.firstPriority, now, gaps: (from, to) => buffer.gaps(from, to) });
  return issueRequests(c.book, planned, g, now, purpose);
}

const chunkOfRequest = (c: StemLoaderContext, request: FetchRequest): number => chunkOf(request.start, c.stem.info?.chunkFrames ?? 1);

/** A failure that matters: of a buffer fill still wanted (not a stale one, not cache warming). */
const failureCounts = (c: StemLoaderContext, request: FetchRequest): boolean => isWanted(request, kept(c));

/** The machine's types, actors and effect actions; the machine below adds the actions that orchestrate them. */
const stemLoaderEffects = setup({
  types: {
    context: {} as StemLoaderContext,
    events: {} as StemLoaderEvent,
    input: {} as StemLoaderInput,
  },
  actors: { chunkFetcher },
  // Effects first (the buffer, the loader, the log), so the orchestrating actions below can enqueue them by name.
  actions: {
    /** Effect: the buffer keeps what the positions need and frees the rest. */
    retainBuffer: ({ context }) => context.stem.buffer?.retain(kept(context)),
    /**
     * Effect: withdraws the stem's requests at `priorities` from the loader (it cancels by stem and
     * priority) and forgets them.
     */
    withdrawLoads: enqueueActions(({ context, enqueue }, params: { priorities: readonly Priority[] }) => {
      const withdrawn = context.book.inFlight.filter((r) => params.priorities.includes(r.priority));
      if (withdrawn.length === 0) return;
      const { song, stem } = context.stem.ref;
      for (const priority of new Set(withdrawn.map((r) => r.priority))) context.env.loader.cancel({ song, stem, priority });
      enqueue.assign({ book: { ...context.book, inFlight: context.book.inFlight.filter((r) => !params.priorities.includes(r.priority)) } });
    }),
    /** The plan's DEBUG lines for what is asked (refills, urgent seek targets). */
    logRequests: ({ context }, params: { sent: readonly FetchRequest[] }) => {
      for (const r of params.sent) {
        const what = typeof r.span === 'number' ? `chunk #${r.span}` : `frames ${r.start}+${r.end - r.start}`;
        const why =
          r.purpose === 'warm'
            ? 'Cache warm-up'
            : context.seek
              ? 'Urgent seek request'
              : context.jump && r.priority === 'urgent'
                ? 'Jump target request'
                : r.priority === 'urgent'
                  ? 'First-audio request'
                  : 'Refill needed';
        context.env.logger.debug(`StemLoader: ${why} for ${context.stem.ref.song}/${context.stem.ref.stem}, requesting ${what} (${r.priority})`);
      }
    },
    /** Effect: a delivered chunk goes into the buffer (the parts the positions still keep). */
    storeChunk: ({ context, event }) => {
      assertEvent(event, 'FETCH.LOADED');
      const { request, chunk } = event;
      const counters = context.stem.counters;
      if (chunk.from === 'cache') counters.fromCache++;
      else counters.decoded++;
      counters.bytesLoaded += chunk.frameCount * chunk.channelData.length * 4;
      const message = `StemLoader: Loaded chunk #${chunk.chunkIndex} (frames ${chunk.startFrame}+${chunk.frameCount}) for ${context.stem.ref.song}/${context.stem.ref.stem} from ${chunk.from} in ${Math.round(chunk.timing.loadMs)}ms`;
      if (context.env.settings.logChunkLoads) context.env.logger.info(message, { purpose: request.purpose, priority: request.priority });
      else context.env.logger.debug(message, { purpose: request.purpose, priority: request.priority });
      if (!isWanted(request, kept(context))) return;
      context.stem.buffer?.push(chunk.startFrame, chunk.channelData);
      context.song.metrics.observeBufferBytes(context.song.bufferBytes());
      context.env.changes.notify();
    },
  },
});

/** An action asking the fetcher for what the positions lack (the first-audio slice first, when priming). */
function requestMissing(firstSlice: boolean) {
  return stemLoaderEffects.enqueueActions(({ context, enqueue }) => {
    const { book, sent } = plan(context, firstSlice);
    if (sent.length === 0) return;
    enqueue.assign({ book });
    enqueue({ type: 'logRequests', params: { sent } });
    for (const request of sent) enqueue.sendTo('fetcher', { type: 'FETCH.REQUEST', request });
  });
}

/**
 * One stem of one song: keeps its buffer filled ahead of the play position and loads seek
 * targets into it. idle → loading (first-audio slice) → buffered ⇄ refilling; `starved` while the
 * mixer finds no data at the play position; `retrying` after a terminal load error; `failed` after
 * `maxLoadFailures` of them in a row (the song then falls back to legacy or fails).
 *
 * The stem has one buffer, read at every position the mixer plays (the playing one, a seek
 * target, a position fading out); the loader keeps the ranges those need (`keptRanges`) and asks
 * for what they lack, earliest deadline first (`planStemRequests`). Refill rule (plan "Buffer
 * Refill Logic"): the window is [N, N + bufferChunks − 1] for the chunk N being played, so
 * entering chunk N+1 asks for chunk N+bufferChunks and frees chunk N.
 *
 * Effects — loader calls, buffer writes — are the named actions `retainBuffer`, `withdrawLoads`,
 * `storeChunk` and the fetcher messages; the bookkeeping is pure (`runtime/stemRequests.ts`).
 */
export const stemLoaderMachine = stemLoaderEffects.extend({
  actions: {
    /** Asks the fetcher for what the positions lack. */
    fill: requestMissing(false),
    /** The same, the first-audio slice at the play position first (priming). */
    prime: requestMissing(true),
    setPriority: assign({
      firstPriority: ({ event }) => {
        assertEvent(event, 'STEM.PRIME');
        return event.priority;
      },
    }),
    settle: assign({
      book: ({ context, event }) => {
        assertEvent(event, ['FETCH.LOADED', 'FETCH.CANCELLED', 'FETCH.FAILED']);
        return settleRequest(context.book, event.request.id);
      },
      failures: ({ context, event }) => {
        if (event.type !== 'FETCH.LOADED') return context.failures;
        const chunk = event.chunk.chunkIndex;
        return chunk in context.failures ? Object.fromEntries(Object.entries(context.failures).filter(([k]) => Number(k) !== chunk)) : context.failures;
      },
    }),
    countFailure: stemLoaderEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'FETCH.FAILED');
      context.stem.counters.failures++;
      const reason = reasonOf(event.error);
      const chunk = chunkOfRequest(context, event.request);
      const count = (context.failures[chunk] ?? 0) + 1;
      context.env.logger.warn(`StemLoader: ${context.stem.ref.song}/${context.stem.ref.stem} chunk #${chunk} failed to load (${count} of ${context.env.settings.maxLoadFailures} tries): ${reason}`);
      enqueue.assign({ failures: { ...context.failures, [chunk]: count }, lastError: `chunk #${chunk}: ${reason}` });
    }),
    notifyPrimed: sendParent(({ context }): StemLoaderOutput => ({ type: 'STEM.PRIMED', stem: context.stem.index })),
    notifyFailed: sendParent(({ context }): StemLoaderOutput => ({ type: 'STEM.FAILED', stem: context.stem.index, reason: context.lastError ?? 'unknown error' })),
    movePlayhead: assign({
      position: ({ event }) => {
        assertEvent(event, 'STEM.PLAYHEAD');
        return event.position;
      },
    }),
    startSeek: assign({
      seek: ({ event }) => {
        assertEvent(event, 'STEM.SEEK_LOAD');
        return { seekId: event.seekId, target: event.target, replyTo: event.replyTo, replied: false };
      },
    }),
    endSeek: assign({ seek: ({ context, event }) => (event.type === 'STEM.SEEK_CANCEL' && context.seek?.seekId !== event.seekId ? context.seek : null) }),
    /** The seek landed: its target is the playing position; the position it left fades out. */
    land: assign(({ context, event }) => {
      assertEvent(event, 'STEM.SEEK_LANDED');
      return { position: event.position, fadingFrom: event.fadingFrom, seek: context.seek?.seekId === event.seekId ? null : context.seek };
    }),
    releaseFade: assign({ fadingFrom: null }),
    startJump: assign(({ event }) => {
      assertEvent(event, 'STEM.JUMP_LOAD');
      return { position: event.position, jump: { jumpId: event.jumpId, landing: event.landing, target: event.target, replyTo: event.replyTo, replied: false } };
    }),
    endJump: assign({
      jump: ({ context, event }) => {
        assertEvent(event, 'STEM.JUMP_CANCEL');
        return context.jump?.jumpId === event.jumpId ? null : context.jump;
      },
    }),
    /** The jump landed: its target is the playing position (a late one's old position fades out). */
    landJump: assign(({ context, event }) => {
      assertEvent(event, 'STEM.JUMP_LANDED');
      return { position: event.position, fadingFrom: event.fadingFrom, jump: context.jump?.jumpId === event.jumpId ? null : context.jump };
    }),
    setLoop: assign(({ event }) => {
      assertEvent(event, 'STEM.LOOP');
      return { loop: event.loop, position: event.position };
    }),
    /** Replies to the jump actor once the target's first slice is in the buffer. */
    replyJumpReady: stemLoaderEffects.enqueueActions(({ context, enqueue }) => {
      const jump = context.jump;
      if (!jump || jump.replied || !holdsFirstSlice(context, jump.target)) return;
      enqueue.sendTo(jump.replyTo, { type: 'JUMP.STEM_READY', jumpId: jump.jumpId, stem: context.stem.index });
      enqueue.assign({ jump: { ...jump, replied: true } });
    }),
    /** Replies to the seek actor once the target slice is in the buffer. */
    replySeekReady: stemLoaderEffects.enqueueActions(({ context, enqueue }) => {
      const seek = context.seek;
      if (!seek || seek.replied || !holdsFirstSlice(context, seek.target)) return;
      enqueue.sendTo(seek.replyTo, { type: 'SEEK.STEM_READY', seekId: seek.seekId, stem: context.stem.index });
      enqueue.assign({ seek: { ...seek, replied: true } });
    }),
    /** Preloading: ask (at idle) for the first `chunks` chunks beyond the window so the loader caches them; the audio is dropped. */
    warmCache: stemLoaderEffects.enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'STEM.WARM_CACHE');
      const info = context.stem.info;
      const settings = context.env.settings;
      if (!info || !settings.cacheEnabled) return;
      const last = Math.min(event.chunks, info.totalChunks, settings.cacheFirstChunks);
      const planned: PlannedRequest[] = [];
      for (let chunk = settings.bufferChunks; chunk < last; chunk++) {
        planned.push({ span: chunk, start: chunk * info.chunkFrames, end: Math.min(info.totalFrames, (chunk + 1) * info.chunkFrames), priority: 'idle', lead: 0 });
      }
      const { book, sent } = plan(context, false, 'warm', planned);
      enqueue.assign({ book });
      enqueue({ type: 'logRequests', params: { sent } });
      for (const request of sent) enqueue.sendTo('fetcher', { type: 'FETCH.REQUEST', request });
    }),
    countStarved: assign({ starvedEpisodes: ({ context }) => context.starvedEpisodes + 1 }),
  },
  guards: {
    primed: ({ context }) => holdsFirstSlice(context, context.position),
    fillPending: ({ context }) => context.book.inFlight.some((r) => r.purpose === 'fill'),
    fillDone: ({ context }) => !context.book.inFlight.some((r) => r.purpose === 'fill'),
    priorityChanges: ({ context, event }) => {
      assertEvent(event, 'STEM.PRIME');
      return event.priority !== context.firstPriority;
    },
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
    position: input.song.startPosition,
    seek: null,
    jump: null,
    loop: null,
    fadingFrom: null,
    book: { inFlight: [], nextRequestId: 1 },
    failures: {},
    lastError: null,
    starvedEpisodes: 0,
  }),
  invoke: {
    id: 'fetcher',
    src: 'chunkFetcher',
    input: ({ context }) => ({ loader: context.env.loader, ref: context.stem.ref }),
  },
  initial: 'idle',
  on: {
    'FETCH.LOADED': { actions: ['settle', 'storeChunk', 'replySeekReady', 'replyJumpReady'] },
    'FETCH.CANCELLED': { actions: 'settle' },
    'FETCH.FAILED': [
      { guard: 'tooManyFailures', target: '.failed', actions: ['settle', 'countFailure'] },
      { guard: 'countsAsFailure', target: '.retrying', actions: ['settle', 'countFailure'] },
      { actions: 'settle' },
    ],
    // Priming (again): a preloaded stem that is to play now withdraws its idle requests and asks at play priorities.
    'STEM.PRIME': [
      {
        guard: 'priorityChanges',
        actions: [{ type: 'withdrawLoads', params: { priorities: ['urgent', 'normal', 'idle'] } }, 'setPriority', 'prime'],
      },
      { actions: 'prime' },
    ],
    'STEM.PLAYHEAD': { actions: ['movePlayhead', 'retainBuffer', 'fill'] },
    // The playing position's refills would delay the target's urgent slices: withdrawn while the seek loads.
    'STEM.SEEK_LOAD': {
      actions: [{ type: 'withdrawLoads', params: { priorities: ['normal', 'idle'] } }, 'startSeek', 'retainBuffer', 'fill', 'replySeekReady'],
    },
    'STEM.SEEK_CANCEL': {
      actions: [{ type: 'withdrawLoads', params: { priorities: ['urgent'] } }, 'endSeek', 'retainBuffer', 'fill'],
    },
    'STEM.SEEK_LANDED': { actions: ['land', 'retainBuffer', 'fill'] },
    'STEM.FADE_RELEASED': { actions: ['releaseFade', 'retainBuffer', 'fill'] },
    // A scheduled jump: the window runs to the landing, then from the target (asked for by the landing).
    'STEM.JUMP_LOAD': { actions: ['startJump', 'retainBuffer', 'fill', 'replyJumpReady'] },
    'STEM.JUMP_CANCEL': { actions: [{ type: 'withdrawLoads', params: { priorities: ['urgent'] } }, 'endJump', 'retainBuffer', 'fill'] },
    'STEM.JUMP_LANDED': { actions: ['landJump', 'retainBuffer', 'fill'] },
    'STEM.LOOP': { actions: ['setLoop', 'retainBuffer', 'fill'] },
    'STEM.WARM_CACHE': { actions: 'warmCache' },
  },
  states: {
    idle: {
      on: { 'STEM.PRIME': { target: 'loading', actions: ['setPriority', 'retainBuffer', 'prime'] } },
    },
    /** Waiting for the first-audio slice. */
    loading: {
      always: { guard: 'primed', target: 'buffered', actions: 'notifyPrimed' },
      on: {
        'FETCH.FAILED': [
          { guard: 'tooManyFailures', target: 'failed', actions: ['settle', 'countFailure'] },
          { guard: 'countsAsFailure', target: 'retryingFirst', actions: ['settle', 'countFailure'] },
          { actions: 'settle' },
        ],
      },
    },
    retryingFirst: {
      after: { retryDelay: { target: 'loading', actions: 'prime' } },
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
      after: { retryDelay: { target: 'buffered', actions: 'fill' } },
      on: { 'STEM.STARVED': { actions: 'countStarved' } },
    },
    failed: {
      type: 'final',
      entry: 'notifyFailed',
    },
  },
});

export type StemLoaderActor = ActorRefFrom<typeof stemLoaderMachine>;
