import { describe, expect, it } from '@jest/globals';
import { assign, createActor, setup } from 'xstate';
import type { AnyActorRef, AnyEventObject } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { mergeSettings } from '../settings/EngineSettings.js';
import type { SongRuntime } from '../runtime/SongRuntime.js';
import { ControlledLoader, SONG, flush, testEnv } from './machineHarness.fixture.js';
import { engineMachine } from './engineMachine.js';
import { songMachine } from './songMachine.js';
import type { InProcessMixer } from '../mixer/InProcessMixer.js';

/**
 * The song's lifecycle as the issue states it, independent of the implementation: the model's
 * shortest paths reach every state and transition, and each is replayed on the real song machine
 * (over a loader the test answers by hand), checking its state and its effects at every step.
 */
const songModel = setup({
  types: { context: {} as { streaming: boolean } },
  guards: { streaming: ({ context }) => context.streaming },
}).createMachine({
  id: 'songModel',
  context: { streaming: false },
  initial: 'idle',
  states: {
    idle: { on: { LOAD: 'opening', LOAD_STREAMING_OFF: 'legacy', PRELOAD: 'preloadOpening' } },
    opening: { on: { OPEN_OK: { target: 'priming', actions: assign({ streaming: true }) }, OPEN_FAIL: 'legacy', OPEN_FAIL_NO_FALLBACK: 'failed' } },
    priming: { on: { PRIMED: 'ready', STEM_FAIL: 'legacy' } },
    preloadOpening: { on: { OPEN_OK: { target: 'preloadPriming', actions: assign({ streaming: true }) }, PROMOTE: 'opening' } },
    preloadPriming: { on: { PRIMED: 'ready', PROMOTE: 'priming' } },
    legacy: { entry: assign({ streaming: false }), on: { LEGACY_DONE: 'ready', LEGACY_FAIL: 'failed' } },
    ready: { on: { PLAY: 'playing' } },
    // A stem that fails while a streamed song plays makes it fall back (a legacy song has no stem loaders).
    playing: { on: { PAUSE: 'paused', END: 'ended', STEM_FAIL: { guard: 'streaming', target: 'legacy' } } },
    paused: { on: { PLAY: 'playing' } },
    ended: {},
    failed: {},
  },
});

/** The real song machine under a parent that records what the song tells it. */
class SongUnderTest {
  readonly loader = new ControlledLoader();
  readonly env = testEnv(this.loader);
  readonly told: AnyEventObject[] = [];
  readonly parent = createActor(
    setup({ actors: { song: songMachine } }).createMachine({
      invoke: { id: 'song', src: 'song', input: { env: this.env, spec: SONG, instance: 1 } },
      on: { '*': { actions: ({ event }) => this.told.push(event) } },
    }),
    { clock: this.env.clock as never },
  ).start();

  get song(): AnyActorRef {
    return this.parent.getSnapshot().children.song as AnyActorRef;
  }

  get runtime(): SongRuntime {
    return this.song.getSnapshot().context.song;
  }

  matches(value: unknown): boolean {
    return this.song.getSnapshot().matches(value);
  }

  async send(event: AnyEventObject): Promise<void> {
    this.song.send(event);
    await flush();
  }

  /** Applies posted mixer commands (renders one silent quantum). */
  mix(): void {
    (this.env.mixer as InProcessMixer).render([new Float32Array(128), new Float32Array(128)], 128);
  }

  slicesPending(priority: string): number {
    return this.loader.requests.filter((r) => typeof r.span === 'object' && r.span.startFrame === 0 && r.priority === priority).length;
  }
}

describe('song machine (model-based)', () => {
  const model = createTestModel(songModel);
  const paths = model.getShortestPaths();

  it('the paths visit every state of the model', () => {
    const visited = new Set(paths.flatMap((p) => [...p.steps.map((s) => s.state.value), p.state.value]).map((v) => JSON.stringify(v)));
    expect(visited.size).toBe(Object.keys(songModel.config.states ?? {}).length);
  });

  for (const path of paths) {
    it(`reaches ${JSON.stringify(path.state.value)} via ${path.steps.map((s) => s.event.type).join(' → ') || '(start)'}`, async () => {
      const sut = new SongUnderTest();
      await path.test({
        events: {
          LOAD: () => sut.send({ type: 'SONG.LOAD' }),
          LOAD_STREAMING_OFF: async () => {
            sut.env.settings = mergeSettings(sut.env.settings, { streamingEnabled: false });
            await sut.send({ type: 'SONG.LOAD' });
          },
          PRELOAD: () => sut.send({ type: 'SONG.PRELOAD' }),
          PROMOTE: () => sut.send({ type: 'SONG.LOAD' }),
          OPEN_OK: async () => {
            sut.loader.openAll();
            await flush();
          },
          OPEN_FAIL: async () => {
            sut.loader.failOpens('no frame sync found');
            await flush();
          },
          OPEN_FAIL_NO_FALLBACK: async () => {
            sut.env.settings = mergeSettings(sut.env.settings, { fallbackToLegacy: false });
            sut.loader.failOpens('no frame sync found');
            await flush();
          },
          PRIMED: async () => {
            sut.loader.deliver((r) => typeof r.span === 'object' && r.span.startFrame === 0);
            await flush();
          },
          // Fails whatever stem two has pending (a legacy song has nothing pending: nothing happens).
          STEM_FAIL: async () => {
            sut.loader.failRequests('two', 'CRC mismatch');
            await flush();
          },
          LEGACY_DONE: async () => {
            while (sut.loader.decodes.length > 0) {
              sut.loader.finishDecodes();
              await flush();
            }
          },
          LEGACY_FAIL: async () => {
            sut.loader.failDecodes('file vanished');
            await flush();
          },
          PLAY: () => sut.send({ type: 'SONG.PLAY' }),
          PAUSE: () => sut.send({ type: 'SONG.PAUSE' }),
          END: () => sut.send({ type: 'MIXER.ENDED' }),
        },
        states: {
          idle: () => expect(sut.matches('idle')).toBe(true),
          opening: () => {
            expect(sut.matches('opening')).toBe(true);
            // Every stem's headers are asked for (a preload promoted to play opens again at once).
            expect(sut.loader.opens.slice(-2).map((o) => o.source.stem)).toEqual(['one', 'two']);
          },
          priming: () => {
            expect(sut.matches('priming')).toBe(true);
            expect(sut.slicesPending('urgent')).toBe(2);
          },
          preloadOpening: () => expect(sut.matches({ preloading: 'opening' })).toBe(true),
          preloadPriming: () => {
            expect(sut.matches({ preloading: 'priming' })).toBe(true);
            expect(sut.slicesPending('idle')).toBe(2);
          },
          legacy: () => {
            expect(sut.matches('legacy')).toBe(true);
            expect(sut.loader.decodes.map((d) => d.stem.stem)).toEqual(['one']); // whole stems, one at a time
            expect(sut.loader.requests).toHaveLength(0); // streaming loads withdrawn
          },
          ready: () => {
            expect(sut.matches('ready')).toBe(true);
            expect(sut.told.some((e) => e.type === 'SONG.READY')).toBe(true);
          },
          playing: () => {
            expect(sut.matches('playing')).toBe(true);
            sut.mix();
            expect(sut.env.mixer.status()).toMatchObject({ playing: true, currentSong: sut.runtime.instance });
          },
          paused: () => {
            expect(sut.matches('paused')).toBe(true);
            sut.mix();
            expect(sut.env.mixer.status().playing).toBe(false);
          },
          ended: () => expect(sut.matches('ended')).toBe(true),
          failed: () => {
            expect(sut.matches('failed')).toBe(true);
            const failure = sut.told.find((e) => e.type === 'SONG.FAILED') as { reason?: string } | undefined;
            expect(failure?.reason).toMatch(/s\/one: cannot open \/s\/one\.flac for streaming: no frame sync found|full decode of \/s\/one\.flac failed: file vanished/);
          },
        },
      });
      // Whatever the song tells its parent, the engine handles (it once sent SONG.ENDED, which nobody handled).
      const handled = engineMachine.root.events;
      for (const event of sut.told) if (!event.type.startsWith('xstate.')) expect(handled).toContain(event.type);
      sut.parent.stop();
    });
  }
});
