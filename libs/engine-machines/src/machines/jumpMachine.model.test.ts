import { describe, expect, it } from '@jest/globals';
import { createActor, createMachine, fromCallback, setup } from 'xstate';
import type { AnyActorRef, AnyEventObject } from 'xstate';
import { createTestModel } from 'xstate/graph';
import type { InProcessMixer } from '../mixer/InProcessMixer.js';
import { MixerEventKind } from '../realtime/MixerEvent.js';
import { playCommand, startCommand } from '../realtime/MixerCommand.js';
import { SongRuntime } from '../runtime/SongRuntime.js';
import type { SongSpec } from '../setlist/setlistTypes.js';
import { syntheticPcm } from '../testing/syntheticPcm.js';
import { ControlledLoader, LENGTH, RATE, SONG, flush, infoOf, songActorIn, testEnv } from './machineHarness.fixture.js';
import { jumpMachine } from './jumpMachine.js';
import type { JumpInput } from './jumpMachine.js';

/** A scheduled jump's life as issue 14 states it. */
const jumpModel = createMachine({
  id: 'jumpModel',
  initial: 'idle',
  states: {
    idle: {
      on: {
        REQUEST_INVALID: 'rejected',
        // A song loaded but not started just starts from the target.
        REQUEST_NOT_STARTED: 'done',
        REQUEST_IN_BUFFER: 'ready',
        REQUEST_TO_LOAD: 'loading',
      },
    },
    loading: { on: { STEMS_READY: 'ready', MISSED: 'late', CANCEL: 'cancelled', REPLACE: 'replaced' } },
    ready: { on: { LANDED: 'done', CANCEL: 'cancelled', REPLACE: 'replaced' } },
    late: { on: { LANDED_LATE: 'crossfading', CANCEL: 'cancelled', REPLACE: 'replaced' } },
    crossfading: { on: { RELEASED: 'done' } },
    done: { type: 'final' },
    cancelled: { type: 'final' },
    replaced: { type: 'final' },
    rejected: { type: 'final' },
  },
});

const JUMP_ID = 9;
// 120 BPM in 4/4: a beat is 24,000 frames. Section B starts at 3 s, outside what the buffer holds.
const MUSICAL: SongSpec = { ...SONG, tempoMap: [{ at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 }], sections: [{ name: 'A', at: 0 }, { name: 'B', at: 3 }] };
const START = Math.round(0.5 * RATE); // 24,000: playing when the jump is asked for
const LANDING = 2 * 24_000; // the next beat after 24,000 (strictly after)
const TARGET = 3 * RATE; // section B

/** A playing song (two mono stems, 4 s) in a real mixer, its stem loaders replaced by recorders, and a jump actor under a recording parent. */
class JumpUnderTest {
  readonly loader = new ControlledLoader();
  readonly env = testEnv(this.loader);
  readonly song = new SongRuntime(1, MUSICAL);
  readonly toStems: AnyEventObject[][] = [[], []];
  readonly told: AnyEventObject[] = [];
  readonly out = [new Float32Array(128), new Float32Array(128)];
  /** Output frames rendered so far (the song started at output 0 from START: it plays START + rendered unless it jumped). */
  rendered = 0;
  parent: AnyActorRef | null = null;
  private readonly stemLoaders = this.toStems.map((log) => createActor(fromCallback<AnyEventObject>(({ receive }) => receive((e) => log.push(e)))).start());

  constructor() {
    this.song.buildStreaming(
      MUSICAL.stems.map((s) => infoOf({ song: MUSICAL.id, stem: s.id, path: s.path })),
      { sampleRate: RATE, createBuffer: this.env.createBuffer, capacityChunks: 4, shared: false },
    );
    this.song.actor = songActorIn('playing');
    // The buffer keeps the whole (short) song and holds its first second.
    for (const stem of this.song.stems) {
      stem.buffer?.retain([[0, LENGTH]]);
      stem.buffer?.push(0, syntheticPcm(MUSICAL.id, stem.spec.id, 1, 0, RATE));
    }
    this.env.mixer.registerSong(this.song.registration());
    this.env.mixer.post(startCommand(this.song.instance, START, 0));
    this.env.mixer.post(playCommand());
    this.render();
    this.song.started = true;
  }

  start(to: JumpInput['to'], when: JumpInput['when'] = 'nextBeat'): void {
    const input: JumpInput = { env: this.env, song: this.song, jumpId: JUMP_ID, to, when, requestedAt: 0, stemLoaders: this.stemLoaders };
    this.parent = createActor(
      setup({ actors: { jump: jumpMachine } }).createMachine({
        invoke: { id: 'jump', src: 'jump', input },
        on: { '*': { actions: ({ event }) => this.told.push(event) } },
      }),
    ).start();
  }

  get jump(): AnyActorRef | undefined {
    return this.parent?.getSnapshot().children.jump as AnyActorRef | undefined;
  }

  state(): unknown {
    return this.jump?.getSnapshot().value;
  }

  finished(): { outcome?: string; reason?: string | null; late?: boolean } | undefined {
    return this.told.find((e) => e.type === 'JUMP.FINISHED') as { outcome?: string; reason?: string | null; late?: boolean } | undefined;
  }

  /** Quanta of the mixer; their events go where the playback driver would send them. */
  render(quanta = 1): void {
    for (let q = 0; q < quanta; q++) {
      (this.env.mixer as InProcessMixer).render(this.out, 128);
      this.rendered += 128;
      this.env.mixer.drainEvents((e) => {
        if (e.kind === MixerEventKind.SeekLanded) this.jump?.send({ type: 'MIXER.SEEK_LANDED', seekId: e.id, position: e.value, left: e.detail < 0 ? null : e.detail, at: 0 });
        if (e.kind === MixerEventKind.Released && e.id >= 0) this.jump?.send({ type: 'MIXER.RELEASED', seekId: e.id });
        if (e.kind === MixerEventKind.JumpMissed) this.jump?.send({ type: 'MIXER.JUMP_MISSED', seekId: e.id });
      });
    }
  }

  /** Renders until the play position has passed the landing frame. */
  renderPastLanding(): void {
    this.render(Math.ceil((LANDING - START) / 128) + 1);
  }

  /** What a stem loader does for a jump: the target slice lands in the buffer, then it replies. */
  loadTargets(): void {
    for (const stem of this.song.stems) {
      stem.buffer?.push(TARGET, syntheticPcm(MUSICAL.id, stem.spec.id, 1, TARGET, RATE / 2));
      this.jump?.send({ type: 'JUMP.STEM_READY', jumpId: JUMP_ID, stem: stem.index });
    }
  }
}

describe('jump machine (model-based)', () => {
  const paths = createTestModel(jumpModel).getShortestPaths();

  it('the paths visit every state of the model', () => {
    const visited = new Set(paths.flatMap((p) => [...p.steps.map((s) => s.state.value), p.state.value]).map((v) => JSON.stringify(v)));
    expect(visited.size).toBe(Object.keys(jumpModel.config.states ?? {}).length);
  });

  for (const path of paths) {
    it(`reaches ${JSON.stringify(path.state.value)} via ${path.steps.map((s) => s.event.type).join(' → ')}`, async () => {
      const sut = new JumpUnderTest();
      await path.test({
        events: {
          REQUEST_INVALID: async () => {
            sut.start('Bridge');
            await flush();
          },
          REQUEST_NOT_STARTED: async () => {
            sut.song.actor = songActorIn('ready');
            sut.start('B');
            await flush();
          },
          REQUEST_IN_BUFFER: async () => {
            sut.start(0.6);
            await flush();
          },
          REQUEST_TO_LOAD: async () => {
            sut.start('B');
            await flush();
          },
          STEMS_READY: async () => {
            sut.loadTargets();
            await flush();
          },
          LANDED: async () => {
            sut.renderPastLanding();
            await flush();
          },
          MISSED: async () => {
            sut.renderPastLanding();
            await flush();
          },
          LANDED_LATE: async () => {
            sut.loadTargets();
            sut.render();
            await flush();
          },
          RELEASED: async () => {
            sut.render(2400 / 128 + 1); // 50 ms of crossfade
            await flush();
          },
          CANCEL: async () => {
            sut.jump?.send({ type: 'JUMP.CANCEL' });
            await flush();
          },
          REPLACE: async () => {
            sut.jump?.send({ type: 'JUMP.SUPERSEDE' });
            await flush();
          },
        },
        states: {
          idle: () => expect(sut.jump).toBeUndefined(),
          loading: () => {
            expect(sut.state()).toEqual({ armed: 'loading' });
            expect(sut.jump?.getSnapshot().context).toMatchObject({ target: TARGET, landing: LANDING, landingSeconds: 1, ready: false, late: false });
            // Every stem is asked for the target with its landing; the mixer holds the jump.
            for (const log of sut.toStems) expect(log).toEqual([expect.objectContaining({ type: 'STEM.JUMP_LOAD', jumpId: JUMP_ID, landing: LANDING, target: TARGET })]);
            expect(sut.song.jump).toEqual({ jumpId: JUMP_ID, landing: LANDING, target: TARGET });
            sut.render();
            expect(sut.env.mixer.status().pendingSeek).toBe(JUMP_ID);
          },
          ready: () => {
            expect(sut.state()).toEqual({ armed: 'ready' });
            expect(sut.jump?.getSnapshot().context.ready).toBe(true);
          },
          late: () => {
            expect(sut.state()).toEqual({ armed: 'late' });
            expect(sut.jump?.getSnapshot().context).toMatchObject({ late: true, ready: false });
            // Playback went on past the landing frame.
            expect(sut.song.position).toBe(START + sut.rendered);
          },
          crossfading: () => {
            expect(sut.state()).toBe('crossfading');
            expect(sut.song.metrics.jumps).toMatchObject({ landed: 1, late: 1 });
            for (const log of sut.toStems) expect(log.at(-1)).toMatchObject({ type: 'STEM.JUMP_LANDED', jumpId: JUMP_ID, fadingFrom: expect.any(Number) });
          },
          done: () => {
            expect(sut.finished()).toMatchObject({ outcome: 'done' });
            expect(sut.song.jump).toBeNull();
            if (sut.song.actor?.getSnapshot().value === 'ready') {
              expect(sut.song.startPosition).toBe(TARGET);
              return;
            }
            if (sut.finished()?.late) return;
            // On time: the play position is exactly the target plus what played since the landing.
            const target = path.steps.some((s) => s.event.type === 'REQUEST_IN_BUFFER') ? Math.round(0.6 * RATE) : TARGET;
            expect(sut.song.position).toBe(target + (START + sut.rendered - LANDING));
          },
          cancelled: () => {
            expect(sut.finished()).toMatchObject({ outcome: 'cancelled' });
            for (const log of sut.toStems) expect(log.at(-1)).toMatchObject({ type: 'STEM.JUMP_CANCEL', jumpId: JUMP_ID });
            expect(sut.song.jump).toBeNull();
            // The mixer's pending jump was withdrawn: playback goes on through the landing frame.
            sut.renderPastLanding();
            expect(sut.song.position).toBe(START + sut.rendered);
          },
          replaced: () => {
            expect(sut.finished()).toMatchObject({ outcome: 'replaced' });
            sut.render();
            expect(sut.env.mixer.status().pendingSeek).toBeNull();
          },
          rejected: () => {
            expect(sut.finished()).toMatchObject({ outcome: 'rejected', reason: 's: has no section "Bridge" (its sections: "A", "B")' });
            expect(sut.toStems.flat()).toEqual([]);
          },
        },
      });
    });
  }
});
