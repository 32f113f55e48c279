import { assertEvent, assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ActorRefFrom, AnyActorRef } from 'xstate';
import { cancelSeekCommand, seekCommand } from '../realtime/MixerCommand.js';
import type { EngineEnv } from '../runtime/EngineEnv.js';
import type { SongRuntime } from '../runtime/SongRuntime.js';
import { framesToSeconds, secondsToFrames } from '../units.js';
import type { Frames, Millis } from '../units.js';

export interface SeekInput {
  readonly env: EngineEnv;
  readonly song: SongRuntime;
  readonly seekId: number;
  readonly target: Frames;
  /** Engine clock time of the request, for the latency metric. */
  readonly requestedAt: Millis;
  /** Why the song cannot seek now (not ready yet), or null. */
  readonly notReadyReason: string | null;
  /** The song's stem loaders, in stem order. */
  readonly stemLoaders: readonly AnyActorRef[];
}

export interface SeekContext extends SeekInput {
  /** Stems whose target slice is in its buffer set. */
  readonly readyStems: readonly number[];
  /** The buffer set the target plays from. */
  readonly set: number;
  readonly reason: string | null;
  readonly latencyMs: Millis | null;
}

export type SeekEvent =
  | { type: 'SEEK.STEM_READY'; seekId: number; stem: number }
  | { type: 'SEEK.SUPERSEDE' }
  | { type: 'MIXER.SEEK_LANDED'; seekId: number; position: Frames }
  | { type: 'MIXER.RELEASED'; seekId: number; set: number };

/** What a seek tells its song when it is over. */
export type SeekOutcome = {
  type: 'SEEK.FINISHED';
  seekId: number;
  outcome: 'done' | 'superseded' | 'rejected';
  reason: string | null;
  latencyMs: Millis | null;
};

/** A song that is loaded but was never started (`ready`): the mixer does not play it yet. */
const notStarted = (c: SeekContext): boolean => c.song.state === 'ready';
const crossfadeFrames = (c: SeekContext): Frames => secondsToFrames(c.env.settings.seekCrossfadeMs / 1000, c.env.sampleRate);
const firstFrames = (c: SeekContext): Frames => secondsToFrames(c.env.settings.firstAudioSeconds, c.env.sampleRate);
/** Stems a seek waits for: not failed (a failed stem plays silent), and not past their own end. */
const awaitedStems = (c: SeekContext): number[] =>
  c.song.stems.filter((stem) => !stem.failed && c.target < (stem.info?.totalFrames ?? c.song.totalFrames)).map((stem) => stem.index);

/**
 * One seek request (plan Flow 3, "never pause"):
 * requested → inBuffer (the target is already in the playing buffer: jump at the next render
 * quantum) | loading (urgent requests for the target slice of every stem into a free buffer set,
 * while the old position keeps playing) → crossfading (equal power, old position out, new in) →
 * done. A newer seek supersedes this one (`superseded`, its loads withdrawn); a target outside the
 * song, or a song not ready, is `rejected` with a reason.
 */
export const seekMachine = setup({
  types: {
    context: {} as SeekContext,
    events: {} as SeekEvent,
    input: {} as SeekInput,
  },
  actions: {
    reject: assign({
      reason: ({ context }) =>
        context.notReadyReason ??
        `seek to ${framesToSeconds(context.target, context.env.sampleRate).toFixed(3)} s is outside the song (0–${framesToSeconds(context.song.totalFrames, context.env.sampleRate).toFixed(3)} s)`,
    }),
    /** Hands the seek to the mixer: it jumps at the first quantum whose target data is there. */
    postSeek: ({ context }) => {
      const mix = context.song.mix;
      if (!mix || notStarted(context)) return;
      context.song.seekLoading = false;
      context.env.mixer.post(seekCommand(context.seekId, mix, context.set, context.target, crossfadeFrames(context)));
      context.env.changes.notify();
    },
    useActiveSet: assign({ set: ({ context }) => context.song.activeSet }),
    /** Picks a free buffer set and asks every stem for the target slice there. */
    startLoading: enqueueActions(({ context, enqueue, self }) => {
      const set = context.song.freeSet();
      context.song.loadingSet = set;
      context.song.seekLoading = true;
      enqueue.assign({ set });
      context.env.logger.debug(`Seek: #${context.seekId} of ${context.song.spec.id} to frame ${context.target} loads into buffer set ${set}`);
      for (const index of awaitedStems(context)) {
        enqueue.sendTo(context.stemLoaders[index], { type: 'STEM.SEEK_LOAD', seekId: context.seekId, set, target: context.target, replyTo: self });
      }
    }),
    markReady: assign({
      readyStems: ({ context, event }) => {
        assertEvent(event, 'SEEK.STEM_READY');
        return event.seekId === context.seekId && !context.readyStems.includes(event.stem) ? [...context.readyStems, event.stem] : context.readyStems;
      },
    }),
    /** Withdraws the mixer's pending jump and the stems' target loads. */
    withdraw: enqueueActions(({ context, enqueue }) => {
      context.env.mixer.post(cancelSeekCommand(context.seekId));
      if (context.song.loadingSet === context.set && context.set !== context.song.activeSet) context.song.loadingSet = -1;
      context.song.seekLoading = false;
      for (const loader of context.stemLoaders) enqueue.sendTo(loader, { type: 'STEM.SEEK_CANCEL', seekId: context.seekId });
    }),
    /** The jump happened: the target's set is now the playing one; the stems fill ahead of it. */
    landed: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MIXER.SEEK_LANDED');
      const song = context.song;
      // The old position keeps reading its set until the mixer releases it (also when it is the
      // same set, for a seek within the buffer): nothing may be dropped from it before then.
      song.fadingSets.add(song.activeSet);
      song.activeSet = context.set;
      if (song.loadingSet === context.set) song.loadingSet = -1;
      const latencyMs = context.env.clock.now() - context.requestedAt;
      song.metrics.seekLatencyMs.push(latencyMs);
      song.metrics.seeks.landed++;
      enqueue.assign({ latencyMs });
      context.env.logger.debug(`Seek: #${context.seekId} of ${song.spec.id} landed at frame ${event.position} after ${latencyMs.toFixed(1)}ms`);
      for (const loader of context.stemLoaders) enqueue.sendTo(loader, { type: 'STEM.SET_ACTIVE', set: context.set, position: event.position });
    }),
    /** The song is loaded but has not started: it will simply start from the target. */
    reposition: enqueueActions(({ context, enqueue }) => {
      const song = context.song;
      if (song.mix) song.mix.position = context.target;
      song.activeSet = context.set;
      if (song.loadingSet === context.set) song.loadingSet = -1;
      song.seekLoading = false;
      song.metrics.seekLatencyMs.push(0);
      song.metrics.seeks.landed++;
      enqueue.assign({ latencyMs: 0 });
      for (const loader of context.stemLoaders) enqueue.sendTo(loader, { type: 'STEM.SET_ACTIVE', set: context.set, position: context.target });
      context.env.changes.notify();
    }),
    report: sendParent(({ context }, params: { outcome: SeekOutcome['outcome'] }): SeekOutcome => ({
      type: 'SEEK.FINISHED',
      seekId: context.seekId,
      outcome: params.outcome,
      reason: context.reason,
      latencyMs: context.latencyMs,
    })),
  },
  guards: {
    notReady: ({ context }) => context.notReadyReason !== null,
    outsideSong: ({ context }) => !(context.target >= 0 && context.target < context.song.totalFrames),
    inBuffer: ({ context }) => context.song.holds(context.song.activeSet, context.target, firstFrames(context)),
    notStarted: ({ context }) => notStarted(context),
    allStemsReady: ({ context }) => awaitedStems(context).every((stem) => context.readyStems.includes(stem)),
    mine: ({ context, event }) => {
      assertEvent(event, ['MIXER.SEEK_LANDED', 'MIXER.RELEASED']);
      return event.seekId === context.seekId;
    },
  },
}).createMachine({
  id: 'seek',
  context: ({ input }) => ({ ...input, readyStems: [], set: input.song.activeSet, reason: null, latencyMs: null }),
  initial: 'requested',
  states: {
    requested: {
      always: [
        { guard: 'notReady', target: 'rejected' },
        { guard: 'outsideSong', target: 'rejected' },
        { guard: 'inBuffer', target: 'inBuffer' },
        { target: 'loading' },
      ],
    },
    inBuffer: {
      entry: ['useActiveSet', 'postSeek'],
      always: { guard: 'notStarted', target: 'done', actions: 'reposition' },
      on: {
        'MIXER.SEEK_LANDED': { guard: 'mine', target: 'crossfading', actions: 'landed' },
        'SEEK.SUPERSEDE': { target: 'superseded', actions: 'withdraw' },
      },
    },
    loading: {
      entry: 'startLoading',
      always: { guard: 'allStemsReady', target: 'landing' },
      on: {
        'SEEK.STEM_READY': { actions: 'markReady' },
        'SEEK.SUPERSEDE': { target: 'superseded', actions: 'withdraw' },
      },
    },
    /** Every target slice is loaded: the mixer jumps at its next quantum. */
    landing: {
      entry: 'postSeek',
      always: { guard: 'notStarted', target: 'done', actions: 'reposition' },
      on: {
        'MIXER.SEEK_LANDED': { guard: 'mine', target: 'crossfading', actions: 'landed' },
        'SEEK.SUPERSEDE': { target: 'superseded', actions: 'withdraw' },
      },
    },
    crossfading: {
      on: {
        'MIXER.RELEASED': { guard: 'mine', target: 'done' },
        // A newer seek during the crossfade: this one has landed, it is over.
        'SEEK.SUPERSEDE': { target: 'done' },
      },
    },
    done: { type: 'final', entry: { type: 'report', params: { outcome: 'done' } } },
    superseded: { type: 'final', entry: { type: 'report', params: { outcome: 'superseded' } } },
    rejected: { type: 'final', entry: ['reject', { type: 'report', params: { outcome: 'rejected' } }] },
  },
});

export type SeekActor = ActorRefFrom<typeof seekMachine>;
