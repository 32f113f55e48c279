import { assertEvent, assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ActorRefFrom, AnyActorRef, AnyEventObject } from 'xstate';
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
  /** Stems whose target slice is in their buffer. */
  readonly readyStems: readonly number[];
  readonly reason: string | null;
  readonly latencyMs: Millis | null;
}

export type SeekEvent =
  | { type: 'SEEK.STEM_READY'; seekId: number; stem: number }
  | { type: 'SEEK.SUPERSEDE' }
  | { type: 'MIXER.SEEK_LANDED'; seekId: number; position: Frames; left: Frames | null; at: Millis }
  | { type: 'MIXER.RELEASED'; seekId: number };

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
const tellStems = (c: SeekContext, event: AnyEventObject) => c.stemLoaders.map((loader) => ({ loader, event }));
const crossfadeFrames = (c: SeekContext): Frames => secondsToFrames(c.env.settings.seekCrossfadeMs / 1000, c.env.sampleRate);
const firstFrames = (c: SeekContext): Frames => secondsToFrames(c.env.settings.firstAudioSeconds, c.env.sampleRate);
/** Stems a seek waits for: not failed (a failed stem plays silent), and not past their own end. */
const awaitedStems = (c: SeekContext): number[] =>
  c.song.stems.filter((stem) => !stem.failed && c.target < (stem.info?.totalFrames ?? c.song.totalFrames)).map((stem) => stem.index);

/**
 * One seek request (plan Flow 3, "never pause"):
 * requested → inBuffer (the target is already in the playing buffer: jump at the next render
 * quantum) | loading (urgent requests for the target slice of every stem, kept in its buffer beside
 * the playing window, which keeps playing meanwhile) → crossfading (equal power, old position out, new in) →
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
      if (!context.song.registered || notStarted(context)) return;
      context.song.seekLoading = false;
      context.song.seekLanding = context.target;
      context.env.mixer.post(seekCommand(context.seekId, context.song.instance, context.target, crossfadeFrames(context)));
      context.env.changes.notify();
    },
    /** Asks every stem for the target slice (into its one buffer, beside the playing window). */
    startLoading: enqueueActions(({ context, enqueue, self }) => {
      context.song.seekLoading = true;
      context.env.logger.debug(`Seek: #${context.seekId} of ${context.song.spec.id} to frame ${context.target} loads its target`);
      for (const index of awaitedStems(context)) {
        enqueue.sendTo(context.stemLoaders[index], { type: 'STEM.SEEK_LOAD', seekId: context.seekId, target: context.target, replyTo: self });
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
      context.song.seekLoading = false;
      if (context.song.seekLanding === context.target) context.song.seekLanding = null;
      for (const { loader, event } of tellStems(context, { type: 'STEM.SEEK_CANCEL', seekId: context.seekId })) enqueue.sendTo(loader, event);
    }),
    /** The jump happened: the target is the playing position; the position it left fades out until the mixer releases it. */
    landed: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MIXER.SEEK_LANDED');
      const song = context.song;
      song.seekLanding = null;
      const latencyMs = Math.max(0, event.at - context.requestedAt);
      song.metrics.seekLatencyMs.push(latencyMs);
      song.metrics.seeks.landed++;
      enqueue.assign({ latencyMs });
      context.env.logger.debug(`Seek: #${context.seekId} of ${song.spec.id} landed at frame ${event.position} after ${latencyMs.toFixed(1)}ms`);
      for (const { loader, event: told } of tellStems(context, { type: 'STEM.SEEK_LANDED', seekId: context.seekId, position: event.position, fadingFrom: event.left })) enqueue.sendTo(loader, told);
    }),
    /** The song is loaded but has not started: it will simply start from the target. */
    reposition: enqueueActions(({ context, enqueue }) => {
      const song = context.song;
      song.startPosition = context.target;
      song.seekLoading = false;
      song.metrics.seekLatencyMs.push(0);
      song.metrics.seeks.landed++;
      enqueue.assign({ latencyMs: 0 });
      for (const { loader, event } of tellStems(context, { type: 'STEM.SEEK_LANDED', seekId: context.seekId, position: context.target, fadingFrom: null })) enqueue.sendTo(loader, event);
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
    inBuffer: ({ context }) => context.song.holds(context.target, firstFrames(context)),
    notStarted: ({ context }) => notStarted(context),
    allStemsReady: ({ context }) => awaitedStems(context).every((stem) => context.readyStems.includes(stem)),
    mine: ({ context, event }) => {
      assertEvent(event, ['MIXER.SEEK_LANDED', 'MIXER.RELEASED']);
      return event.seekId === context.seekId;
    },
  },
}).createMachine({
  id: 'seek',
  context: ({ input }) => ({ ...input, readyStems: [], reason: null, latencyMs: null }),
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
      entry: 'postSeek',
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
