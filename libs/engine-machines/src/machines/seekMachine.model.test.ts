import { describe, expect, it } from '@jest/globals';
import { createActor, createMachine, fromCallback, setup } from 'xstate';
import type { AnyActorRef, AnyEventObject } from 'xstate';
import { createTestModel } from 'xstate/graph';
import type { InProcessMixer } from '../mixer/InProcessMixer.js';
import { MixerEventKind } from '../realtime/MixerEvent.js';
import { playCommand, startCommand } from '../realtime/MixerCommand.js';
import { SongRuntime } from '../runtime/SongRuntime.js';
import { syntheticPcm } from '../testing/syntheticPcm.js';
import { ControlledLoader, LENGTH, RATE, SONG, flush, infoOf, songActorIn, testEnv } from './machineHarness.fixture.js';
import { seekMachine } from './seekMachine.js';

/** A seek request's life as the issue states it (plan Flow 3). */
const seekModel = createMachine({
  id: 'seekModel',
  initial: 'idle',
  states: {
    idle: {
      on: {
        REQUEST_OUTSIDE: 'rejected',
        REQUEST_NOT_READY: 'rejected',
        REQUEST_IN_BUFFER: 'inBuffer',
        REQUEST_TO_LOAD: 'loading',
        // A song loaded but not started just starts from the target.
        REQUEST_NOT_STARTED: 'done',
      },
    },
    inBuffer: { on: { LANDED: 'crossfading', SUPERSEDE: 'superseded' } },
    loading: { on: { STEMS_READY: 'landing', SUPERSEDE: 'superseded' } },
    landing: { on: { LANDED: 'crossfading', SUPERSEDE: 'superseded' } },
    crossfading: { on: { RELEASED: 'done', SUPERSEDE: 'done' } },
    done: { type: 'final' },
    superseded: { type: 'final' },
    rejected: { type: 'final' },
  },
});

const SEEK_ID = 7;
const START = Math.round(0.5 * RATE); // where the song plays when the seek is asked for
const TARGET = Math.round(3.2 * RATE); // outside the buffer's held data unless a test puts it there

/** A playing song (two mono stems) in a real mixer, its stem loaders replaced by recorders, and a seek actor under a recording parent. */
class SeekUnderTest {
  readonly loader = new ControlledLoader();
  readonly env = testEnv(this.loader);
  readonly song = new SongRuntime(1, SONG);
  readonly toStems: AnyEventObject[][] = [[], []];
  readonly told: AnyEventObject[] = [];
  readonly out = [new Float32Array(128), new Float32Array(128)];
  parent: AnyActorRef | null = null;
  private readonly stemLoaders = this.toStems.map((log) => createActor(fromCallback<AnyEventObject>(({ receive }) => receive((e) => log.push(e)))).start());

  constructor() {
    this.song.buildStreaming(
      SONG.stems.map((s) => infoOf({ song: SONG.id, stem: s.id, path: s.path })),
      { sampleRate: RATE, createBuffer: this.env.createBuffer, capacityChunks: 4, shared: false },
    );
    this.song.actor = songActorIn('playing');
    // The buffer keeps the whole (short) song and holds its first second.
    for (const stem of this.song.stems) {
      stem.buffer?.retain([[0, LENGTH]]);
      stem.buffer?.push(0, syntheticPcm(SONG.id, stem.spec.id, 1, 0, RATE));
    }
    this.env.mixer.registerSong(this.song.registration());
    this.env.mixer.post(startCommand(this.song.instance, START, 0));
    this.env.mixer.post(playCommand());
    this.render();
  }

  start(target: number, notReadyReason: string | null = null): void {
    const input = { env: this.env, song: this.song, seekId: SEEK_ID, target, requestedAt: 0, notReadyReason, stemLoaders: this.stemLoaders };
    this.parent = createActor(
      setup({ actors: { seek: seekMachine } }).createMachine({
        invoke: { id: 'seek', src: 'seek', input },
        on: { '*': { actions: ({ event }) => this.told.push(event) } },
      }),
    ).start();
  }

  get seek(): AnyActorRef | undefined {
    return this.parent?.getSnapshot().children.seek as AnyActorRef | undefined;
  }

  state(): unknown {
    return this.seek?.getSnapshot().value;
  }

  finished(): { outcome?: string; reason?: string | null; latencyMs?: number | null } | undefined {
    return this.told.find((e) => e.type === 'SEEK.FINISHED') as { outcome?: string; reason?: string | null; latencyMs?: number | null } | undefined;
  }

  /** One quantum of the mixer; its events go where the playback driver would send them. */
  render(): void {
    (this.env.mixer as InProcessMixer).render(this.out, 128);
    this.env.mixer.drainEvents((e) => {
      if (e.kind === MixerEventKind.Started) this.song.started = true;
      if (e.kind === MixerEventKind.SeekLanded) this.seek?.send({ type: 'MIXER.SEEK_LANDED', seekId: e.id, position: e.value, left: e.detail < 0 ? null : e.detail, at: 0 });
      if (e.kind === MixerEventKind.Released && e.id >= 0) this.seek?.send({ type: 'MIXER.RELEASED', seekId: e.id });
    });
  }

  /** What a stem loader does for a seek: the target slice lands in the buffer, then it replies. */
  loadTargets(): void {
    for (const stem of this.song.stems) {
      stem.buffer?.push(TARGET, syntheticPcm(SONG.id, stem.spec.id, 1, TARGET, RATE / 2));
      this.seek?.send({ type: 'SEEK.STEM_READY', seekId: SEEK_ID, stem: stem.index });
    }
  }
}

describe('seek machine (model-based)', () => {
  const paths = createTestModel(seekModel).getShortestPaths();

  it('the paths visit every state of the model', () => {
    const visited = new Set(paths.flatMap((p) => [...p.steps.map((s) => s.state.value), p.state.value]).map((v) => JSON.stringify(v)));
    expect(visited.size).toBe(Object.keys(seekModel.config.states ?? {}).length);
  });

  for (const path of paths) {
    it(`reaches ${JSON.stringify(path.state.value)} via ${path.steps.map((s) => s.event.type).join(' → ')}`, async () => {
      const sut = new SeekUnderTest();
      await path.test({
        events: {
          REQUEST_OUTSIDE: async () => {
            sut.start(LENGTH + 10);
            await flush();
          },
          REQUEST_NOT_READY: async () => {
            sut.start(TARGET, 's is not ready to seek yet (still loading, or failed)');
            await flush();
          },
          REQUEST_IN_BUFFER: async () => {
            sut.start(Math.round(0.6 * RATE));
            await flush();
          },
          REQUEST_TO_LOAD: async () => {
            sut.start(TARGET);
            await flush();
          },
          REQUEST_NOT_STARTED: async () => {
            sut.song.actor = songActorIn('ready');
            sut.start(Math.round(0.6 * RATE));
            await flush();
          },
          STEMS_READY: async () => {
            sut.loadTargets();
            await flush();
          },
          LANDED: async () => {
            sut.render();
            await flush();
          },
          RELEASED: async () => {
            for (let i = 0; i < 2400 / 128 + 1; i++) sut.render(); // 50 ms of crossfade
            await flush();
          },
          SUPERSEDE: async () => {
            sut.seek?.send({ type: 'SEEK.SUPERSEDE' });
            await flush();
          },
        },
        states: {
          idle: () => expect(sut.seek).toBeUndefined(),
          inBuffer: () => {
            expect(sut.state()).toBe('inBuffer');
            expect(sut.toStems.flat()).toEqual([]); // nothing to load
          },
          loading: () => {
            expect(sut.state()).toBe('loading');
            expect(sut.song.seekLoading).toBe(true);
            // Every stem is asked for the target; the old position keeps playing.
            for (const log of sut.toStems) expect(log).toEqual([expect.objectContaining({ type: 'STEM.SEEK_LOAD', seekId: SEEK_ID, target: TARGET })]);
            const before = sut.song.position;
            sut.render();
            expect(sut.song.position).toBe(before + 128);
          },
          landing: () => {
            expect(sut.state()).toBe('landing');
            expect(sut.song.seekLoading).toBe(false);
          },
          crossfading: () => {
            expect(sut.state()).toBe('crossfading');
            expect(sut.song.metrics.seeks.landed).toBe(1);
            // The stems move to the target and keep the position it left (fading out) until released.
            for (const log of sut.toStems) {
              expect(log.at(-1)).toMatchObject({ type: 'STEM.SEEK_LANDED', seekId: SEEK_ID, position: sut.song.position - 128, fadingFrom: expect.any(Number) });
            }
          },
          done: () => {
            expect(sut.finished()).toMatchObject({ outcome: 'done' });
            expect(sut.song.metrics.seekLatencyMs).toHaveLength(1);
          },
          superseded: () => {
            expect(sut.finished()).toMatchObject({ outcome: 'superseded' });
            for (const log of sut.toStems) expect(log.at(-1)).toMatchObject({ type: 'STEM.SEEK_CANCEL', seekId: SEEK_ID });
            // The mixer's pending jump was withdrawn: playback goes on from where it was.
            const before = sut.song.position;
            sut.render();
            expect(sut.song.position).toBe(before + 128);
          },
          rejected: () => {
            expect(sut.finished()?.outcome).toBe('rejected');
            expect(sut.finished()?.reason).toMatch(/outside the song \(0–4\.000 s\)|not ready to seek/);
          },
        },
      });
    });
  }
});
