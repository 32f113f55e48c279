import { describe, expect, it } from '@jest/globals';
import { createActor, setup } from 'xstate';
import type { AnyActorRef, AnyEventObject, SimulatedClock } from 'xstate';
import { SongRuntime } from '../runtime/SongRuntime.js';
import { CHUNK, ControlledLoader, RATE, SONG, flush, infoOf, testEnv } from './machineHarness.fixture.js';
import { bufferCapacityChunks } from '../runtime/stemRequests.js';
import { stemLoaderMachine } from './stemLoaderMachine.js';

/** One stem loader (stem "one" of a 4-second song, 1-second chunks, a 3-chunk window) under a recording parent. */
function stemUnderTest(settings = {}) {
  const loader = new ControlledLoader();
  const env = testEnv(loader, { bufferChunks: 3, ...settings });
  const song = new SongRuntime(1, SONG);
  song.buildStreaming(
    SONG.stems.map((s) => infoOf({ song: SONG.id, stem: s.id, path: s.path })),
    { sampleRate: RATE, createBuffer: env.createBuffer, capacityChunks: bufferCapacityChunks(3), shared: false },
  );
  const told: AnyEventObject[] = [];
  const parent = createActor(
    setup({ actors: { stem: stemLoaderMachine } }).createMachine({
      invoke: { id: 'stem', src: 'stem', input: { env, song, stem: song.stems[0] } },
      on: { '*': { actions: ({ event }) => told.push(event) } },
    }),
    { clock: env.clock as never },
  ).start();
  const stem = () => parent.getSnapshot().children.stem as AnyActorRef;
  const spans = () => loader.requests.map((r) => [r.span, r.priority]);
  return { loader, env, song, told, stem, spans, clock: env.clock as unknown as SimulatedClock };
}

describe('stem loader', () => {
  it('primes with an urgent first-audio slice, then keeps the window N..N+2 filled as playback moves (refill rule)', async () => {
    const t = stemUnderTest();
    expect(t.stem().getSnapshot().value).toBe('idle');
    t.stem().send({ type: 'STEM.PRIME', priority: 'urgent' });
    await flush();
    expect(t.stem().getSnapshot().value).toBe('loading');
    expect(t.spans()).toEqual([
      [{ startFrame: 0, frameCount: 0.25 * RATE }, 'urgent'],
      [0, 'normal'],
      [1, 'normal'],
      [2, 'normal'],
    ]);
    t.loader.deliver((r) => typeof r.span === 'object');
    await flush();
    expect(t.told).toContainEqual({ type: 'STEM.PRIMED', stem: 0 });
    expect(t.stem().getSnapshot().value).toBe('refilling'); // chunks 0–2 still coming
    t.loader.deliver();
    await flush();
    expect(t.stem().getSnapshot().value).toBe('buffered');
    // Entering chunk 1: chunk 3 is asked for, chunk 0 is dropped.
    t.stem().send({ type: 'STEM.PLAYHEAD', position: CHUNK + 10 });
    await flush();
    expect(t.spans()).toEqual([[3, 'normal']]);
    expect(t.stem().getSnapshot().value).toBe('refilling');
    expect(t.song.stems[0].buffer?.gaps(0, 4 * CHUNK)).toEqual([
      [0, CHUNK],
      [3 * CHUNK, 4 * CHUNK],
    ]);
  });

  it('is starved while the mixer finds no data, and buffered again when fed', async () => {
    const t = stemUnderTest();
    t.stem().send({ type: 'STEM.PRIME', priority: 'urgent' });
    await flush();
    t.loader.deliver();
    await flush();
    t.stem().send({ type: 'STEM.STARVED' });
    await flush();
    expect(t.stem().getSnapshot().value).toBe('starved');
    t.stem().send({ type: 'STEM.FED' });
    await flush();
    expect(t.stem().getSnapshot().value).toBe('buffered');
    expect(t.stem().getSnapshot().context.starvedEpisodes).toBe(1);
  });

  it('retries a chunk after a terminal load error, and gives up (failed) after maxLoadFailures', async () => {
    const t = stemUnderTest({ maxLoadFailures: 2, loadRetryDelayMs: 100 });
    t.stem().send({ type: 'STEM.PRIME', priority: 'urgent' });
    await flush();
    t.loader.deliver((r) => r.span !== 2);
    await flush();
    expect(t.loader.failRequests('one', 'CRC mismatch')).toBe(1);
    await flush();
    expect(t.stem().getSnapshot().value).toBe('retrying');
    expect(t.loader.requests).toHaveLength(0);
    t.clock.increment(99);
    await flush();
    expect(t.loader.requests).toHaveLength(0);
    t.clock.increment(1);
    await flush();
    expect(t.spans()).toEqual([[2, 'normal']]); // asked again after the delay
    t.loader.failRequests('one', 'CRC mismatch');
    await flush();
    expect(t.stem().getSnapshot().status).toBe('done');
    expect(t.told).toContainEqual({ type: 'STEM.FAILED', stem: 0, reason: 'chunk #2: CRC mismatch' });
  });

  it('promoted from preloading, withdraws its idle requests and asks again urgently', async () => {
    const t = stemUnderTest();
    t.stem().send({ type: 'STEM.PRIME', priority: 'idle' });
    await flush();
    expect(t.spans().every(([, p]) => p === 'idle')).toBe(true);
    t.stem().send({ type: 'STEM.PRIME', priority: 'urgent' });
    await flush();
    expect(t.loader.cancelled).toBe(4);
    expect(t.spans()[0]).toEqual([{ startFrame: 0, frameCount: 0.25 * RATE }, 'urgent']);
  });

  it('asks for each request by its deadline: the first slice now, the rest of its chunk once the slice has played, later chunks when playback reaches them', async () => {
    const t = stemUnderTest();
    t.clock.increment(1000);
    t.stem().send({ type: 'STEM.PRIME', priority: 'urgent' });
    await flush();
    const ms = (frames: number) => 1000 + (frames / RATE) * 1000;
    expect(t.loader.requests.map((r) => [r.span, r.deadline])).toEqual([
      [{ startFrame: 0, frameCount: 0.25 * RATE }, ms(0)],
      [0, ms(0.25 * RATE)],
      [1, ms(CHUNK)],
      [2, ms(2 * CHUNK)],
    ]);
  });

  it('loads a seek target into the same buffer beside the playing window, and keeps the position it left until the fade is released', async () => {
    const t = stemUnderTest();
    t.stem().send({ type: 'STEM.PRIME', priority: 'urgent' });
    await flush();
    t.loader.deliver();
    await flush();
    const buffer = t.song.stems[0].buffer;
    expect(buffer?.gaps(0, 3 * CHUNK)).toEqual([]);
    const target = 3 * CHUNK + 100;
    const seek = createActor(setup({}).createMachine({ on: { '*': { actions: ({ event }) => t.told.push(event) } } })).start();
    t.stem().send({ type: 'STEM.SEEK_LOAD', seekId: 9, target, replyTo: seek });
    await flush();
    // Only the target: its first slice (urgent, needed now) and its chunk (urgent, needed once the
    // slice has played; whole, as chunks of the cached range are).
    expect(t.spans()).toEqual([
      [{ startFrame: target, frameCount: 0.25 * RATE }, 'urgent'],
      [3, 'urgent'],
    ]);
    t.loader.deliver();
    await flush();
    expect(t.told).toContainEqual({ type: 'SEEK.STEM_READY', seekId: 9, stem: 0 });
    // The playing window is still held: the old position plays on until the seek lands.
    expect(buffer?.gaps(0, 3 * CHUNK)).toEqual([]);
    expect(buffer?.framesAvailableAt(target)).toBe(CHUNK - 100);
    t.stem().send({ type: 'STEM.SEEK_LANDED', seekId: 9, position: target, fadingFrom: 2 * CHUNK + 500 });
    await flush();
    // The old window is freed but for the chunk still fading out; the target's chunk is the last of this 4-chunk stem.
    expect(buffer?.gaps(0, 4 * CHUNK)).toEqual([[0, 2 * CHUNK]]);
    t.stem().send({ type: 'STEM.FADE_RELEASED' });
    await flush();
    expect(buffer?.gaps(0, 4 * CHUNK)).toEqual([[0, 3 * CHUNK]]);
  });
});
