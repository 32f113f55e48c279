import { assertEvent, assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ActorRefFrom } from 'xstate';
import { loopCommand, releaseLoopCommand } from '../realtime/MixerCommand.js';
import type { EngineEnv } from '../runtime/EngineEnv.js';
import type { SongRuntime } from '../runtime/SongRuntime.js';
import { planLoop } from '../runtime/planNavigation.js';
import type { LoopRelease, LoopRequest, Planned, PlannedLoop } from '../runtime/planNavigation.js';
import { framesToSeconds } from '../units.js';
import type { Frames, Seconds } from '../units.js';

export interface LoopInput {
  readonly env: EngineEnv;
  readonly song: SongRuntime;
}

/** What a UI shows of a song's loop (also the loop actor's context, besides its state: off, looping, releasing). */
export interface LoopView {
  /** Song frames `[start, end)` (−1 when off). */
  readonly start: Frames;
  readonly end: Frames;
  readonly startSeconds: Seconds;
  readonly endSeconds: Seconds;
  readonly section: string | null;
  /** Times it went back to its start. */
  readonly wraps: number;
}

export interface LoopContext extends LoopInput, LoopView {
  /** The mixer's name for the loop now set (events of an older one are ignored). */
  readonly loopId: number;
}

export type LoopEvent =
  | { type: 'LOOP.SET'; request: LoopRequest }
  | { type: 'LOOP.RELEASE'; when: LoopRelease }
  | { type: 'MIXER.LOOP_WRAPPED'; loopId: number; wraps: number }
  | { type: 'MIXER.LOOP_RELEASED'; loopId: number };

/** What the loop tells its song: the frames the stems must keep changed, or a loop was refused. */
export type LoopOutput = { type: 'LOOP.CHANGED' } | { type: 'LOOP.REJECTED'; reason: string };

const OFF = { start: -1, end: -1, startSeconds: -1, endSeconds: -1, section: null, wraps: 0, loopId: -1 } as const;

function plan(context: LoopContext, request: LoopRequest): Planned<PlannedLoop> {
  const song = context.song;
  if (!song.registered || !song.timeline) return { ok: false, reason: `${song.spec.id} is not ready to loop yet (still loading, or failed)` };
  if (song.timelineProblem) return { ok: false, reason: `${song.spec.id}: cannot navigate: ${song.timelineProblem}` };
  return planLoop(song.timeline, song.position, request);
}

/**
 * A song's vamp (issue 14): off → looping (the mixer goes back from the loop's end to its start,
 * sample-exactly, until released) → off (released now) or releasing (released at its end: once more
 * through, then on) → off. A landing of a jump or seek outside the loop ends it too. A new loop
 * replaces the old one. The stems keep the loop's start in their buffers before its end plays
 * (`keptRanges` along the playback path), so a loop of a bar or more never underruns once it has
 * had a load's time to be fetched. Spawned once per song as `song:<id>/loop`.
 */
export const loopMachine = setup({
  types: {
    context: {} as LoopContext,
    events: {} as LoopEvent,
    input: {} as LoopInput,
  },
  actions: {
    /** Hands the loop to the mixer and to the stems (through the song). */
    setLoop: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'LOOP.SET');
      const planned = plan(context, event.request);
      if (!planned.ok) return;
      const { env, song } = context;
      const { start, end, section } = planned.value;
      const loopId = env.nextSeekId();
      song.loop = { start, end, releasing: false, ...(section === undefined ? {} : { section }) };
      env.mixer.post(loopCommand(song.instance, loopId, start, end));
      env.logger.debug(`Loop: ${song.spec.id} repeats frames ${start}..${end}${section ? ` (${section})` : ''}`);
      enqueue.assign({ loopId, start, end, startSeconds: framesToSeconds(start, env.sampleRate), endSeconds: framesToSeconds(end, env.sampleRate), section: section ?? null, wraps: 0 });
      enqueue.sendParent({ type: 'LOOP.CHANGED' } satisfies LoopOutput);
      env.changes.notify();
    }),
    reject: sendParent(({ context, event }): LoopOutput => {
      assertEvent(event, 'LOOP.SET');
      const planned = plan(context, event.request);
      return { type: 'LOOP.REJECTED', reason: planned.ok ? 'rejected' : planned.reason };
    }),
    releaseNow: ({ context }) => context.env.mixer.post(releaseLoopCommand(context.song.instance, false)),
    releaseAtEnd: enqueueActions(({ context, enqueue }) => {
      const song = context.song;
      if (song.loop) song.loop = { ...song.loop, releasing: true };
      context.env.mixer.post(releaseLoopCommand(song.instance, true));
      // Past the loop's end now comes what follows it, not its start: the stems' path changes.
      enqueue.sendParent({ type: 'LOOP.CHANGED' } satisfies LoopOutput);
    }),
    /** Off: the runtime and the stems forget the loop. */
    clear: enqueueActions(({ context, enqueue }) => {
      context.song.loop = null;
      enqueue.assign({ ...OFF });
      enqueue.sendParent({ type: 'LOOP.CHANGED' } satisfies LoopOutput);
      context.env.changes.notify();
    }),
    countWrap: assign({
      wraps: ({ context, event }) => {
        assertEvent(event, 'MIXER.LOOP_WRAPPED');
        context.song.metrics.loopWraps++;
        return event.wraps;
      },
    }),
  },
  guards: {
    valid: ({ context, event }) => {
      assertEvent(event, 'LOOP.SET');
      return plan(context, event.request).ok;
    },
    releaseNow: ({ event }) => {
      assertEvent(event, 'LOOP.RELEASE');
      return event.when === 'now';
    },
    mine: ({ context, event }) => {
      assertEvent(event, ['MIXER.LOOP_WRAPPED', 'MIXER.LOOP_RELEASED']);
      return event.loopId === context.loopId;
    },
  },
}).createMachine({
  id: 'loop',
  context: ({ input }) => ({ ...input, ...OFF }),
  initial: 'off',
  on: {
    'LOOP.SET': [
      { guard: 'valid', target: '.looping', reenter: true, actions: 'setLoop' },
      { actions: 'reject' },
    ],
  },
  states: {
    off: {},
    /** The mixer goes back from the end to the start each time it gets there. */
    looping: {
      on: {
        'LOOP.RELEASE': [
          { guard: 'releaseNow', target: 'off', actions: ['releaseNow', 'clear'] },
          { target: 'releasing', actions: 'releaseAtEnd' },
        ],
        'MIXER.LOOP_WRAPPED': { guard: 'mine', actions: 'countWrap' },
        // A jump or seek landed outside the loop.
        'MIXER.LOOP_RELEASED': { guard: 'mine', target: 'off', actions: 'clear' },
      },
    },
    /** Released at its end: the pass under way is the last. */
    releasing: {
      on: {
        'LOOP.RELEASE': { guard: 'releaseNow', target: 'off', actions: ['releaseNow', 'clear'] },
        'MIXER.LOOP_WRAPPED': { guard: 'mine', actions: 'countWrap' },
        'MIXER.LOOP_RELEASED': { guard: 'mine', target: 'off', actions: 'clear' },
      },
    },
  },
});

export type LoopActor = ActorRefFrom<typeof loopMachine>;
