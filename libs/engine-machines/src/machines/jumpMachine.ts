import { assertEvent, assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ActorRefFrom, AnyActorRef, AnyEventObject } from 'xstate';
import type { JumpTarget, JumpWhen } from '../music/SongTimeline.js';
import { cancelSeekCommand, seekCommand } from '../realtime/MixerCommand.js';
import type { EngineEnv } from '../runtime/EngineEnv.js';
import type { SongRuntime } from '../runtime/SongRuntime.js';
import { planJump } from '../runtime/planNavigation.js';
import { framesToSeconds, secondsToFrames } from '../units.js';
import type { Frames, Millis, Seconds } from '../units.js';

export interface JumpInput {
  readonly env: EngineEnv;
  readonly song: SongRuntime;
  /** Shared with seeks: the mixer has one pending seek-or-jump, named by this id. */
  readonly jumpId: number;
  readonly to: JumpTarget;
  readonly when: Exclude<JumpWhen, 'now'>;
  /** Engine clock time of the request. */
  readonly requestedAt: Millis;
  /** The song's stem loaders, in stem order. */
  readonly stemLoaders: readonly AnyActorRef[];
}

/** What a UI shows of a pending jump (also the jump actor's context). */
export interface JumpView {
  readonly to: JumpTarget;
  readonly when: Exclude<JumpWhen, 'now'>;
  /** Song frame the jump goes to, and where it lands (−1 when refused). */
  readonly target: Frames;
  readonly landing: Frames;
  readonly targetSeconds: Seconds;
  readonly landingSeconds: Seconds;
  /** The target's first slice of every stem is in its buffer: it will land on time. */
  readonly ready: boolean;
  /** The landing frame came before the target was ready: it lands as soon as it is, with a crossfade. */
  readonly late: boolean;
  /** Why it was refused, or null. */
  readonly reason: string | null;
}

export interface JumpContext extends JumpInput, JumpView {
  /** Stems whose target slice is in their buffer. */
  readonly readyStems: readonly number[];
}

export type JumpEvent =
  | { type: 'JUMP.STEM_READY'; jumpId: number; stem: number }
  | { type: 'JUMP.CANCEL' }
  | { type: 'JUMP.SUPERSEDE' }
  | { type: 'MIXER.JUMP_MISSED'; seekId: number }
  | { type: 'MIXER.SEEK_LANDED'; seekId: number; position: Frames; left: Frames | null; at: Millis }
  | { type: 'MIXER.RELEASED'; seekId: number };

/** What a jump tells its song when it is over. */
export type JumpOutcome = {
  type: 'JUMP.FINISHED';
  jumpId: number;
  outcome: 'done' | 'cancelled' | 'replaced' | 'rejected';
  late: boolean;
  reason: string | null;
};

/** A song loaded and never started: a jump just moves where it will start. */
const notStarted = (c: JumpContext): boolean => c.song.state === 'ready';
const firstFrames = (c: JumpContext): Frames => secondsToFrames(c.env.settings.firstAudioSeconds, c.env.sampleRate);
/** Stems a jump waits for: not failed, and not past their own end at the target. */
const awaitedStems = (c: JumpContext): number[] =>
  c.song.stems.filter((stem) => !stem.failed && c.target < (stem.info?.totalFrames ?? c.song.totalFrames)).map((stem) => stem.index);
const tell = (c: JumpContext, event: AnyEventObject) => c.stemLoaders.map((loader) => ({ loader, event }));
/**
 * Frames by which a landing must lie ahead of the published play position: a mixer on another
 * thread renders ahead of what it published (10 ms ≈ 4 quanta of 128 frames at 48 kHz) before
 * the command reaches it. Offline the command is applied before the next quantum: none.
 */
const marginFrames = (env: EngineEnv): Frames => (env.mixer.freeRunning ? secondsToFrames(0.01, env.sampleRate) : 0);

function initialContext(input: JumpInput): JumpContext {
  const { env, song } = input;
  const rate = env.sampleRate;
  const base = { ...input, readyStems: [], ready: false, late: false };
  const refused = (reason: string): JumpContext => ({ ...base, target: -1, landing: -1, targetSeconds: -1, landingSeconds: -1, reason });
  if (!song.registered || !song.timeline) return refused(`${song.spec.id} is not ready to jump yet (still loading, or failed)`);
  if (song.timelineProblem) return refused(`${song.spec.id}: cannot navigate: ${song.timelineProblem}`);
  const planned = planJump(song.timeline, song.position, { to: input.to, when: input.when }, song.wrappingLoop, marginFrames(env));
  if (!planned.ok) return refused(planned.reason);
  const { target, landing } = planned.value;
  return { ...base, target, landing, targetSeconds: framesToSeconds(target, rate), landingSeconds: framesToSeconds(landing, rate), reason: null };
}

/**
 * One scheduled jump (issue 14: "jump on the beat"): it lands sample-exactly at a musical boundary
 * of the tempo map (the next beat, bar, section end, or n bars on) — the mixer switches at that
 * song frame, inside a quantum if need be, with no crossfade when the target is ready. As soon as
 * it is armed the target's first slices are asked for with the landing as their deadline.
 *
 * requested → loading (target slices on their way) → ready → done (landed on time); or, when the
 * landing frame comes first, late (the mixer lands as soon as the target is there, with the seek
 * crossfade, counted late) → crossfading → done. `cancelled` (cancel-jump), `replaced` (a newer jump
 * or a seek), `rejected` (no tempo, no such section, past the song's end, not ready: with a reason).
 * A song not started yet simply starts from the target (`done`). The context is what a UI shows.
 */
export const jumpMachine = setup({
  types: {
    context: {} as JumpContext,
    events: {} as JumpEvent,
    input: {} as JumpInput,
  },
  actions: {
    /** Hands the jump to the mixer (it lands at the landing frame) and asks every stem for its target. */
    arm: enqueueActions(({ context, enqueue, self }) => {
      const { env, song } = context;
      song.jump = { jumpId: context.jumpId, landing: context.landing, target: context.target };
      song.metrics.jumps.requested++;
      env.mixer.post(seekCommand(context.jumpId, song.instance, context.target, secondsToFrames(env.settings.seekCrossfadeMs / 1000, env.sampleRate), context.landing));
      env.logger.debug(`Jump: #${context.jumpId} of ${song.spec.id} to frame ${context.target}, landing at frame ${context.landing}`);
      for (const index of awaitedStems(context)) {
        enqueue.sendTo(context.stemLoaders[index], {
          type: 'STEM.JUMP_LOAD',
          jumpId: context.jumpId,
          landing: context.landing,
          target: context.target,
          position: song.position,
          replyTo: self,
        });
      }
      env.changes.notify();
    }),
    markReady: assign({
      readyStems: ({ context, event }) => {
        assertEvent(event, 'JUMP.STEM_READY');
        return event.jumpId === context.jumpId && !context.readyStems.includes(event.stem) ? [...context.readyStems, event.stem] : context.readyStems;
      },
    }),
    setReady: assign({ ready: true }),
    setLate: enqueueActions(({ context, enqueue }) => {
      context.song.metrics.jumps.late++;
      context.env.logger.warn(`Jump: #${context.jumpId} of ${context.song.spec.id} was not ready at its landing (frame ${context.landing}); it lands as soon as its target is loaded`);
      enqueue.assign({ late: true, ready: false });
    }),
    /** Withdraws the mixer's pending jump and the stems' target loads. */
    withdraw: enqueueActions(({ context, enqueue }) => {
      context.env.mixer.post(cancelSeekCommand(context.jumpId));
      if (context.song.jump?.jumpId === context.jumpId) context.song.jump = null;
      for (const { loader, event } of tell(context, { type: 'STEM.JUMP_CANCEL', jumpId: context.jumpId })) enqueue.sendTo(loader, event);
      context.env.changes.notify();
    }),
    /** The mixer switched: the target is the playing position (the position it left fades out, if late). */
    landed: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MIXER.SEEK_LANDED');
      const song = context.song;
      if (song.jump?.jumpId === context.jumpId) song.jump = null;
      song.metrics.jumps.landed++;
      context.env.logger.debug(`Jump: #${context.jumpId} of ${song.spec.id} landed at frame ${event.position}${context.late ? ' (late)' : ''}`);
      for (const { loader, event: told } of tell(context, { type: 'STEM.JUMP_LANDED', jumpId: context.jumpId, position: event.position, fadingFrom: event.left })) {
        enqueue.sendTo(loader, told);
      }
    }),
    /** The song has not started: it will start from the target. */
    reposition: enqueueActions(({ context, enqueue }) => {
      const song = context.song;
      song.startPosition = context.target;
      song.metrics.jumps.requested++;
      song.metrics.jumps.landed++;
      for (const { loader, event } of tell(context, { type: 'STEM.JUMP_LANDED', jumpId: context.jumpId, position: context.target, fadingFrom: null })) enqueue.sendTo(loader, event);
      context.env.changes.notify();
    }),
    count: ({ context }, params: { outcome: 'cancelled' | 'replaced' | 'rejected' }) => {
      context.song.metrics.jumps[params.outcome]++;
    },
    report: sendParent(({ context }, params: { outcome: JumpOutcome['outcome'] }): JumpOutcome => ({
      type: 'JUMP.FINISHED',
      jumpId: context.jumpId,
      outcome: params.outcome,
      late: context.late,
      reason: context.reason,
    })),
  },
  guards: {
    refused: ({ context }) => context.reason !== null,
    notStarted: ({ context }) => notStarted(context),
    allStemsReady: ({ context }) => awaitedStems(context).every((stem) => context.readyStems.includes(stem)),
    inBuffer: ({ context }) => context.song.holds(context.target, firstFrames(context)),
    mine: ({ context, event }) => {
      assertEvent(event, ['MIXER.SEEK_LANDED', 'MIXER.RELEASED', 'MIXER.JUMP_MISSED']);
      return event.seekId === context.jumpId;
    },
    /** It landed with a crossfade (late): the position it left fades out. */
    landedFading: ({ context, event }) => {
      assertEvent(event, 'MIXER.SEEK_LANDED');
      return event.seekId === context.jumpId && event.left !== null;
    },
  },
}).createMachine({
  id: 'jump',
  context: ({ input }) => initialContext(input),
  initial: 'requested',
  states: {
    requested: {
      always: [
        { guard: 'refused', target: 'rejected' },
        { guard: 'notStarted', target: 'done', actions: 'reposition' },
        { target: 'armed' },
      ],
    },
    /** Handed to the mixer: it lands at the landing frame. */
    armed: {
      entry: 'arm',
      initial: 'checking',
      on: {
        'JUMP.STEM_READY': { actions: 'markReady' },
        'JUMP.CANCEL': { target: 'cancelled', actions: ['withdraw', { type: 'count', params: { outcome: 'cancelled' } }] },
        'JUMP.SUPERSEDE': { target: 'replaced', actions: ['withdraw', { type: 'count', params: { outcome: 'replaced' } }] },
        // On time: no crossfade, nothing fades. Late: the position it left fades out until released.
        'MIXER.SEEK_LANDED': [
          { guard: 'landedFading', target: 'crossfading', actions: 'landed' },
          { guard: 'mine', target: 'done', actions: 'landed' },
        ],
      },
      states: {
        checking: {
          always: [{ guard: 'inBuffer', target: 'ready' }, { target: 'loading' }],
        },
        /** The target's first slices are on their way (deadline: the landing). */
        loading: {
          always: { guard: 'allStemsReady', target: 'ready' },
          on: { 'MIXER.JUMP_MISSED': { guard: 'mine', target: 'late', actions: 'setLate' } },
        },
        /** Every stem holds the target's first slice: it will land on time, sample-exactly. */
        ready: {
          entry: 'setReady',
          on: { 'MIXER.JUMP_MISSED': { guard: 'mine', target: 'late', actions: 'setLate' } },
        },
        /** The landing frame came first: the mixer lands as soon as the target is there, crossfading. */
        late: {},
      },
    },
    crossfading: {
      on: {
        'MIXER.RELEASED': { guard: 'mine', target: 'done' },
        'JUMP.SUPERSEDE': { target: 'done' },
        'JUMP.CANCEL': { target: 'done' },
      },
    },
    done: { type: 'final', entry: { type: 'report', params: { outcome: 'done' } } },
    cancelled: { type: 'final', entry: { type: 'report', params: { outcome: 'cancelled' } } },
    replaced: { type: 'final', entry: { type: 'report', params: { outcome: 'replaced' } } },
    rejected: { type: 'final', entry: [{ type: 'count', params: { outcome: 'rejected' } }, { type: 'report', params: { outcome: 'rejected' } }] },
  },
});

export type JumpActor = ActorRefFrom<typeof jumpMachine>;
