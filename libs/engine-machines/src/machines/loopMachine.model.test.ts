import { describe, expect, it } from '@jest/globals';
import { createActor, createMachine, setup } from 'xstate';
import type { AnyActorRef, AnyEventObject } from 'xstate';
import { createTestModel } from 'xstate/graph';
import type { InProcessMixer } from '../mixer/InProcessMixer.js';
import { MixerEventKind } from '../realtime/MixerEvent.js';
import { playCommand, seekCommand, startCommand } from '../realtime/MixerCommand.js';
import { SongRuntime } from '../runtime/SongRuntime.js';
import type { SongSpec } from '../setlist/setlistTypes.js';
import { syntheticPcm } from '../testing/syntheticPcm.js';
import { ControlledLoader, LENGTH, RATE, SONG, flush, infoOf, songActorIn, testEnv } from './machineHarness.fixture.js';
import { loopMachine } from './loopMachine.js';

/** A vamp's life as issue 14 states it (wraps until released, now or at its end; a landing outside ends it). */
const loopModel = createMachine({
  id: 'loopModel',
  initial: 'off',
  states: {
    off: { on: { SET: 'looping', SET_BEHIND: 'refused' } },
    refused: {},
    looping: { on: { WRAP: 'wrapped', RELEASE_NOW: 'releasedNow', RELEASE_AT_END: 'releasing', LAND_OUTSIDE: 'releasedByLanding' } },
    wrapped: { on: { RELEASE_AT_END: 'releasing' } },
    releasing: { on: { PASS_END: 'releasedAtEnd' } },
    releasedNow: {},
    releasedAtEnd: {},
    releasedByLanding: {},
  },
});

// 120 BPM: a bar is 96,000 frames (2 s). The song (4 s) plays from 0.5 s; the loop is [0.5 s, 1.5 s).
const MUSICAL: SongSpec = { ...SONG, tempoMap: [{ at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 }] };
const START = Math.round(0.5 * RATE);
const LOOP = { start: Math.round(0.5 * RATE), end: Math.round(1.5 * RATE) };

/** A playing song (two mono stems, wholly in their buffers) in a real mixer, and its loop actor under a recording parent. */
class LoopUnderTest {
  readonly loader = new ControlledLoader();
  readonly env = testEnv(this.loader);
  readonly song = new SongRuntime(1, MUSICAL);
  readonly told: AnyEventObject[] = [];
  readonly out = [new Float32Array(128), new Float32Array(128)];
  readonly parent: AnyActorRef;

  constructor() {
    this.song.buildStreaming(
      MUSICAL.stems.map((s) => infoOf({ song: MUSICAL.id, stem: s.id, path: s.path })),
      { sampleRate: RATE, createBuffer: this.env.createBuffer, capacityChunks: 4, shared: false },
    );
    this.song.actor = songActorIn('playing');
    for (const stem of this.song.stems) {
      stem.buffer?.retain([[0, LENGTH]]);
      stem.buffer?.push(0, syntheticPcm(MUSICAL.id, stem.spec.id, 1, 0, RATE));
      stem.buffer?.push(RATE, syntheticPcm(MUSICAL.id, stem.spec.id, 1, RATE, RATE));
    }
    this.env.mixer.registerSong(this.song.registration());
    this.env.mixer.post(startCommand(this.song.instance, START, 0));
    this.env.mixer.post(playCommand());
    this.song.started = true;
    const input = { env: this.env, song: this.song };
    this.parent = createActor(
      setup({ actors: { loop: loopMachine } }).createMachine({
        invoke: { id: 'loop', src: 'loop', input },
        on: { '*': { actions: ({ event }) => this.told.push(event) } },
      }),
    ).start();
    this.render();
  }

  get loop(): AnyActorRef {
    return this.parent.getSnapshot().children.loop as AnyActorRef;
  }

  /** Quanta of the mixer; loop events go where the playback driver would send them. */
  render(quanta = 1): void {
    for (let q = 0; q < quanta; q++) {
      (this.env.mixer as InProcessMixer).render(this.out, 128);
      this.env.mixer.drainEvents((e) => {
        if (e.kind === MixerEventKind.LoopWrapped) this.loop.send({ type: 'MIXER.LOOP_WRAPPED', loopId: e.id, wraps: e.value });
        if (e.kind === MixerEventKind.LoopReleased) this.loop.send({ type: 'MIXER.LOOP_RELEASED', loopId: e.id });
      });
    }
  }

  /** Renders until the play position has reached the loop's end and gone on (or back). */
  renderThroughEnd(): void {
    this.render(Math.ceil((LOOP.end - this.song.position) / 128) + 1);
  }
}

describe('loop machine (model-based)', () => {
  const paths = createTestModel(loopModel).getShortestPaths();

  it('the paths visit every state of the model', () => {
    const visited = new Set(paths.flatMap((p) => [...p.steps.map((s) => s.state.value), p.state.value]).map((v) => JSON.stringify(v)));
    expect(visited.size).toBe(Object.keys(loopModel.config.states ?? {}).length);
  });

  for (const path of paths) {
    it(`reaches ${JSON.stringify(path.state.value)} via ${path.steps.map((s) => s.event.type).join(' → ')}`, async () => {
      const sut = new LoopUnderTest();
      await path.test({
        events: {
          SET: async () => {
            sut.loop.send({ type: 'LOOP.SET', request: { from: 0.5, to: 1.5 } });
            await flush();
          },
          SET_BEHIND: async () => {
            sut.loop.send({ type: 'LOOP.SET', request: { from: 0, to: 0.25 } });
            await flush();
          },
          WRAP: async () => {
            sut.renderThroughEnd();
            await flush();
          },
          RELEASE_NOW: async () => {
            sut.loop.send({ type: 'LOOP.RELEASE', when: 'now' });
            await flush();
          },
          RELEASE_AT_END: async () => {
            sut.loop.send({ type: 'LOOP.RELEASE', when: 'atLoopEnd' });
            await flush();
          },
          PASS_END: async () => {
            sut.renderThroughEnd();
            await flush();
          },
          LAND_OUTSIDE: async () => {
            // To 1.8 s (held, outside the loop), landing 1,000 frames ahead.
            sut.env.mixer.post(seekCommand(77, sut.song.instance, Math.round(1.8 * RATE), 0, sut.song.position + 1000));
            sut.render(10);
            await flush();
          },
        },
        states: {
          off: () => {
            expect(sut.loop.getSnapshot().value).toBe('off');
            expect(sut.song.loop).toBeNull();
          },
          refused: () => {
            expect(sut.loop.getSnapshot().value).toBe('off');
            expect(sut.told).toEqual([expect.objectContaining({ type: 'LOOP.REJECTED', reason: 's: the loop ends before the play position: jump back to it first' })]);
          },
          looping: () => {
            expect(sut.loop.getSnapshot().value).toBe('looping');
            expect(sut.loop.getSnapshot().context).toMatchObject({ start: LOOP.start, end: LOOP.end, startSeconds: 0.5, endSeconds: 1.5, wraps: 0 });
            expect(sut.song.loop).toEqual({ start: LOOP.start, end: LOOP.end, releasing: false });
            expect(sut.song.wrappingLoop).toEqual(LOOP);
            expect(sut.told.at(-1)).toEqual({ type: 'LOOP.CHANGED' });
          },
          wrapped: () => {
            expect(sut.loop.getSnapshot().value).toBe('looping');
            expect(sut.loop.getSnapshot().context.wraps).toBe(1);
            // Back to the start: the play position is inside the loop, past its start by what played since the end.
            expect(sut.song.position).toBeGreaterThanOrEqual(LOOP.start);
            expect(sut.song.position).toBeLessThan(LOOP.start + 256);
          },
          releasing: () => {
            expect(sut.loop.getSnapshot().value).toBe('releasing');
            expect(sut.song.loop).toMatchObject({ releasing: true });
            // The stems now plan past the loop's end: no wrapping loop in their path.
            expect(sut.song.wrappingLoop).toBeNull();
          },
          releasedNow: () => {
            expect(sut.loop.getSnapshot().value).toBe('off');
            expect(sut.song.loop).toBeNull();
            // Playback goes on through the old loop end.
            sut.renderThroughEnd();
            expect(sut.song.position).toBeGreaterThan(LOOP.end);
          },
          releasedAtEnd: () => {
            expect(sut.loop.getSnapshot().value).toBe('off');
            expect(sut.song.loop).toBeNull();
            expect(sut.song.position).toBeGreaterThan(LOOP.end);
            expect(sut.song.position).toBeLessThan(LOOP.end + 256);
          },
          releasedByLanding: () => {
            expect(sut.loop.getSnapshot().value).toBe('off');
            expect(sut.song.position).toBeGreaterThan(1.8 * RATE);
          },
        },
      });
    });
  }
});
